#!/usr/bin/env python3
"""Generates corpus-samples/: a small, entirely synthetic biomedical corpus and task samples for mediswift4j.

Everything is composed from templates and word lists written for this project (no text from any paper, abstract or
data set). The output is deterministic: the same script gives the same bytes (string-seeded random.Random streams,
lists only, no set or dict-order dependence).

  corpus-samples/pubmed-sample.txt            ~2.7 MB of abstracts: title line, abstract paragraph, blank line
  corpus-samples/pubmedqa/ori_pqal.json       400 items in the PubMedQA PQA-L format (PMIDs 90000001...)
  corpus-samples/pubmedqa/test_ground_truth.json   PMID -> label for 150 of them (the test part)
  corpus-samples/hoc/{train,dev,test}.tsv     HoC in BLURB's TSV layout (labels, sentence, index)

The task samples are learnable from the text: a PubMedQA answer follows from cue phrases in the RESULTS context
about the outcome the question asks about ("significantly reduced" -> yes, "no significant difference" -> no,
"inconclusive" / "mixed results" -> maybe), with distractor sentences about secondary outcomes; a HoC sentence's
labels follow from hallmark vocabulary (angiogenesis/VEGF, apoptosis resistance/BCL-2, immune evasion/PD-L1, ...),
and many sentences carry none. The pre-training text uses the same vocabulary, so pre-training helps.

Usage: python3 tools/make_corpus_samples.py [OUT_DIR]   (default: corpus-samples next to tools/)
"""
import json
import os
import random
import sys

SEED = "mediswift4j-corpus-samples-v1"

# ------------------------------------------------------------------------------------------------ vocabulary

DISEASES = [
    "type 2 diabetes", "hypertension", "chronic obstructive pulmonary disease", "asthma", "heart failure",
    "atrial fibrillation", "chronic kidney disease", "rheumatoid arthritis", "psoriasis", "Crohn's disease",
    "ulcerative colitis", "major depressive disorder", "schizophrenia", "Parkinson's disease", "Alzheimer's disease",
    "multiple sclerosis", "migraine", "epilepsy", "osteoporosis", "knee osteoarthritis", "sepsis",
    "community-acquired pneumonia", "pulmonary tuberculosis", "HIV infection", "chronic hepatitis C", "malaria",
    "obesity", "nonalcoholic fatty liver disease", "gestational diabetes", "preeclampsia",
    "acute myocardial infarction", "ischemic stroke", "peripheral artery disease", "venous thromboembolism",
    "sickle cell disease", "iron deficiency anemia", "chronic hepatitis B", "systemic lupus erythematosus",
    "primary open-angle glaucoma", "age-related macular degeneration", "atopic dermatitis", "acute kidney injury",
    "cystic fibrosis", "bronchiolitis", "acute otitis media", "recurrent urinary tract infection",
    "Helicobacter pylori infection", "gout", "hypothyroidism", "polycystic ovary syndrome", "endometriosis",
    "benign prostatic hyperplasia", "chronic low back pain", "fibromyalgia", "chronic insomnia",
    "alcohol use disorder", "opioid use disorder", "generalized anxiety disorder", "bipolar disorder",
    "post-traumatic stress disorder", "coronary artery disease", "aortic stenosis", "pulmonary hypertension",
    "idiopathic pulmonary fibrosis", "celiac disease", "irritable bowel syndrome", "acute pancreatitis",
    "liver cirrhosis", "diabetic foot ulcer", "diabetic retinopathy", "neonatal jaundice", "bronchopulmonary dysplasia",
]
CANCERS = [
    "breast cancer", "non-small cell lung cancer", "colorectal cancer", "hepatocellular carcinoma", "gastric cancer",
    "pancreatic ductal adenocarcinoma", "prostate cancer", "ovarian cancer", "glioblastoma", "cutaneous melanoma",
    "clear cell renal cell carcinoma", "urothelial bladder cancer", "head and neck squamous cell carcinoma",
    "esophageal squamous cell carcinoma", "cervical cancer", "endometrial cancer", "acute myeloid leukemia",
    "diffuse large B-cell lymphoma", "multiple myeloma", "osteosarcoma", "papillary thyroid carcinoma",
    "nasopharyngeal carcinoma", "cholangiocarcinoma", "neuroblastoma", "triple-negative breast cancer",
    "small cell lung cancer", "chronic lymphocytic leukemia", "uveal melanoma",
]
DRUGS = [
    "metformin", "empagliflozin", "dapagliflozin", "liraglutide", "semaglutide", "atorvastatin", "rosuvastatin",
    "lisinopril", "amlodipine", "losartan", "spironolactone", "sacubitril-valsartan", "apixaban", "rivaroxaban",
    "warfarin", "low-dose aspirin", "clopidogrel", "ticagrelor", "methotrexate", "adalimumab", "infliximab",
    "tocilizumab", "prednisolone", "dexamethasone", "inhaled budesonide", "montelukast", "tiotropium",
    "sertraline", "escitalopram", "intravenous ketamine", "lithium", "quetiapine", "levetiracetam", "valproate",
    "levodopa", "donepezil", "memantine", "vitamin D supplementation", "omega-3 fatty acids", "zinc supplementation",
    "probiotics", "azithromycin", "amoxicillin", "ceftriaxone", "doxycycline", "oseltamivir", "allopurinol",
    "febuxostat", "levothyroxine", "denosumab", "alendronate", "melatonin", "gabapentin", "pregabalin", "tramadol",
    "buprenorphine", "naltrexone", "intravenous iron", "erythropoietin", "tranexamic acid", "magnesium sulfate",
    "letrozole", "hydroxyurea", "ursodeoxycholic acid", "rifaximin", "colchicine", "baricitinib", "dupilumab",
    "omalizumab", "mepolizumab", "nintedanib", "pirfenidone", "sofosbuvir", "tenofovir", "artemether-lumefantrine",
]
INTERVENTIONS = [
    "a structured exercise program", "cognitive behavioural therapy", "a low-sodium diet", "a Mediterranean diet",
    "remote telemonitoring", "early mobilization", "a smoking cessation program", "mindfulness training",
    "acupuncture", "supervised physiotherapy", "a nurse-led education program", "bariatric surgery",
    "continuous positive airway pressure", "high-flow nasal oxygen", "intermittent fasting",
    "home-based cardiac rehabilitation", "text message reminders", "pharmacist-led medication review",
    "a school-based physical activity program", "peer support groups", "kangaroo mother care",
    "yoga-based rehabilitation", "a transitional care program", "motivational interviewing",
]
CANCER_DRUGS = [
    "cisplatin", "paclitaxel", "docetaxel", "gemcitabine", "5-fluorouracil", "oxaliplatin", "doxorubicin",
    "temozolomide", "sorafenib", "lenvatinib", "erlotinib", "gefitinib", "osimertinib", "trastuzumab", "bevacizumab",
    "pembrolizumab", "nivolumab", "atezolizumab", "imatinib", "tamoxifen", "olaparib", "palbociclib", "bortezomib",
    "rituximab", "cetuximab", "sunitinib", "venetoclax", "azacitidine",
]
GENES = [
    "TP53", "KRAS", "EGFR", "BRAF", "PIK3CA", "PTEN", "MYC", "CDKN2A", "RB1", "BRCA1", "BRCA2", "ATM", "ERBB2",
    "VEGFA", "HIF1A", "BCL2", "MCL1", "BAX", "CASP3", "BIRC5", "TERT", "CD274", "CTLA4", "IL6", "STAT3", "NFKB1",
    "PTGS2", "SNAI1", "TWIST1", "CDH1", "VIM", "MMP9", "MMP2", "SLC2A1", "LDHA", "HK2", "PKM", "MLH1", "MSH2",
    "CCND1", "CDK4", "SMAD4", "NOTCH1", "WNT5A", "CTNNB1", "ZEB1", "FOXM1", "YAP1", "SOX2", "AKT1", "MTOR",
    "ERBB3", "FGFR2", "MET", "KDM5B", "EZH2", "SIRT1", "PRMT5", "USP7", "TRIM24", "KIF20A", "ANLN", "TPX2",
]
NONCODING_PREFIX = ["miR-", "microRNA-"]
NONCODING_SUFFIX = ["", "a", "b", "-5p", "-3p", "a-5p", "b-3p"]
LNC_NAMES = ["LINC0", "lncRNA-AC0", "lncRNA-RP1", "circRNA_0"]
CELL_LINES = [
    "MCF-7", "MDA-MB-231", "A549", "H1299", "HeLa", "HCT116", "SW480", "HepG2", "Huh7", "PC-3", "DU145", "U87",
    "U251", "SKOV3", "AGS", "MKN45", "PANC-1", "BxPC-3", "A375", "786-O", "T24", "Caco-2", "K562", "Jurkat",
]
OUTCOMES = [
    "HbA1c", "systolic blood pressure", "LDL cholesterol", "all-cause mortality", "30-day readmission",
    "length of hospital stay", "pain intensity", "health-related quality of life", "the annual exacerbation rate",
    "forced expiratory volume in one second", "body mass index", "depressive symptoms", "cognitive decline",
    "seizure frequency", "surgical site infection", "postoperative complications", "bone mineral density",
    "serum uric acid", "the estimated glomerular filtration rate", "time to clinical recovery",
    "the need for mechanical ventilation", "disease activity scores", "fatigue scores", "sleep quality",
    "six-minute walk distance", "C-reactive protein levels", "fasting plasma glucose", "body weight",
    "the recurrence rate", "the relapse rate", "hospitalization for heart failure", "major adverse cardiac events",
    "functional independence at 90 days", "the incidence of delirium", "caregiver burden", "medication adherence",
    "viral suppression", "sputum culture conversion", "parasite clearance", "the frequency of headache days",
]
CANCER_OUTCOMES = ["progression-free survival", "overall survival", "the objective response rate",
                   "disease-free survival", "the pathological complete response rate", "time to progression"]
EXPOSURES = [
    "shift work", "short sleep duration", "sedentary behaviour", "long-term exposure to fine particulate matter",
    "heavy alcohol consumption", "current smoking", "low serum vitamin D", "high dietary sodium intake",
    "ultra-processed food consumption", "low socioeconomic status", "social isolation", "chronic stress",
    "elevated resting heart rate", "hyperuricemia", "periodontitis", "frailty", "polypharmacy",
    "maternal obesity", "preterm birth", "early antibiotic exposure", "high coffee consumption", "night-time light exposure",
]
BIOMARKERS = [
    "serum procalcitonin", "high-sensitivity troponin T", "NT-proBNP", "plasma neurofilament light chain",
    "urinary NGAL", "faecal calprotectin", "serum ferritin", "interleukin-6", "circulating tumour DNA",
    "the neutrophil-to-lymphocyte ratio", "presepsin", "serum cystatin C", "galectin-3", "soluble ST2",
    "plasma D-dimer", "cerebrospinal fluid tau", "a three-gene expression signature", "serum CA 19-9",
]
POPULATIONS = [
    "adults", "older adults", "children", "adolescents", "pregnant women", "postmenopausal women",
    "hospitalized patients", "outpatients", "nursing home residents", "veterans", "primary care patients",
    "critically ill patients", "young adults", "middle-aged men", "patients undergoing elective surgery",
]
TRIAL_DESIGNS = [
    "a randomized controlled trial", "a double-blind, placebo-controlled trial", "a multicentre randomized trial",
    "an open-label randomized trial", "a pragmatic cluster-randomized trial", "a single-centre pilot trial",
    "a crossover trial",
]
OBS_DESIGNS = [
    "a prospective cohort study", "a retrospective cohort study", "a case-control study", "a cross-sectional study",
    "a multicentre observational study", "a nested case-control study", "a registry-based cohort study",
    "a population-based cohort study",
]
SETTINGS = [
    "three tertiary hospitals", "a university hospital", "twelve primary care practices", "a national registry",
    "two community health centres", "a regional cancer centre", "eight intensive care units",
    "a network of rural clinics", "a large health maintenance organisation", "four teaching hospitals",
]
CONTROLS = ["placebo", "usual care", "standard therapy", "no additional treatment", "an active comparator",
            "a sham procedure", "a waiting-list control"]
LAB_METHODS = [
    "immunohistochemistry", "quantitative real-time PCR", "western blotting", "flow cytometry", "RNA sequencing",
    "whole-exome sequencing", "CRISPR-Cas9 knockout", "siRNA knockdown", "xenograft models in nude mice",
    "chromatin immunoprecipitation", "dual-luciferase reporter assays", "tissue microarrays", "single-cell RNA sequencing",
    "co-immunoprecipitation", "lentiviral overexpression", "mass spectrometry-based proteomics",
]
STABLE_METHODS = ["lentiviral transduction", "shRNA transduction", "CRISPR-Cas9 gene editing",
                  "plasmid transfection and antibiotic selection", "retroviral infection"]
STATS = [
    "multivariable logistic regression", "Cox proportional hazards models", "linear mixed-effects models",
    "propensity score matching", "Kaplan-Meier analysis with log-rank tests", "generalized estimating equations",
    "inverse probability of treatment weighting", "restricted cubic splines",
]
MESH_COMMON = ["Humans", "Male", "Female", "Adult", "Middle Aged", "Aged", "Aged, 80 and over", "Young Adult",
               "Treatment Outcome", "Prospective Studies", "Retrospective Studies", "Risk Factors", "Follow-Up Studies",
               "Cohort Studies", "Prognosis", "Time Factors", "Severity of Illness Index", "Double-Blind Method",
               "Questionnaires", "Logistic Models", "Multivariate Analysis", "Incidence", "Prevalence", "Child",
               "Adolescent", "Infant", "Pregnancy", "Biomarkers", "Sensitivity and Specificity", "ROC Curve"]

# The ten HoC hallmarks, in BLURB's label order, each with cue vocabulary and sentence templates.
# {g} gene, {c} cancer, {cl} cell line, {nc} non-coding RNA, {m} lab method.
HALLMARKS = [
    ("activating invasion and metastasis", [
        "Knockdown of {g} markedly suppressed the migration and invasion of {cl} cells in Transwell assays.",
        "High {g} expression was associated with lymph node metastasis and distant metastasis in {c}.",
        "{nc} promoted epithelial-mesenchymal transition, with loss of E-cadherin and gain of vimentin.",
        "Overexpression of {g} increased MMP-9 secretion and enhanced the invasive capacity of {cl} cells.",
        "In an orthotopic model, {g} depletion reduced the number of lung metastatic nodules.",
        "{g} induced Snail and ZEB1, thereby driving an invasive, mesenchymal phenotype in {c} cells.",
    ]),
    ("avoiding immune destruction", [
        "{g} upregulated PD-L1 on tumour cells and allowed {c} cells to escape T cell-mediated killing.",
        "Tumours with high {g} expression showed fewer infiltrating CD8+ T cells and more regulatory T cells.",
        "{nc} impaired natural killer cell cytotoxicity and contributed to immune evasion in {c}.",
        "Blocking the immune checkpoint restored the cytotoxic activity of exhausted T cells against {cl} cells.",
        "Loss of {g} reduced MHC class I antigen presentation, helping tumour cells evade immune surveillance.",
    ]),
    ("cellular energetics", [
        "{g} enhanced aerobic glycolysis, increasing glucose uptake and lactate production in {cl} cells.",
        "Silencing {g} decreased GLUT1 and hexokinase 2 expression and reversed the Warburg effect.",
        "{nc} shifted {c} cells from oxidative phosphorylation toward glycolytic metabolism.",
        "Metabolic profiling showed that {g} reprogrammed glutamine metabolism to fuel tumour growth.",
        "Inhibition of {g} lowered the extracellular acidification rate and ATP production from glycolysis.",
    ]),
    ("enabling replicative immortality", [
        "{g} activated TERT transcription and maintained telomerase activity in {c} cells.",
        "TERT promoter mutations were detected in a subset of {c} tumours and correlated with longer telomeres.",
        "Depletion of {g} shortened telomere length and drove {cl} cells into replicative senescence.",
        "{nc} allowed cells to bypass senescence, supporting their unlimited replicative potential.",
        "Telomerase inhibition combined with {g} knockdown led to progressive telomere erosion in {cl} cells.",
    ]),
    ("evading growth suppressors", [
        "{g} bound and inactivated the retinoblastoma protein RB1, releasing E2F-dependent transcription.",
        "Loss of CDKN2A and p16 expression was frequent in {c} and abolished cell-cycle arrest.",
        "{nc} repressed the tumour suppressor {g}, allowing {cl} cells to escape contact inhibition.",
        "Mutant p53 failed to induce p21, so {c} cells continued to divide despite growth-inhibitory signals.",
        "Restoring {g} expression reinstated G1 arrest and suppressed anchorage-independent growth of {cl} cells.",
    ]),
    ("genomic instability and mutation", [
        "{c} tumours with {g} mutations displayed a high tumour mutational burden and chromosomal instability.",
        "Deficient mismatch repair and microsatellite instability were observed in a subset of {c} patients.",
        "{g} loss impaired homologous recombination and caused accumulation of DNA double-strand breaks.",
        "Whole-exome sequencing revealed recurrent somatic mutations and copy number alterations in {g}.",
        "After irradiation, {cl} cells lacking {g} accumulated gamma-H2AX foci, indicating persistent DNA damage.",
        "Germline BRCA1 or BRCA2 variants were associated with genomic instability in {c}.",
    ]),
    ("inducing angiogenesis", [
        "{g} increased VEGF secretion and promoted tube formation by human umbilical vein endothelial cells.",
        "Microvessel density was significantly higher in {c} tissues with strong {g} staining.",
        "Under hypoxia, HIF-1 alpha induced {g}, which stimulated angiogenesis in {c} xenografts.",
        "{nc} enhanced tumour neovascularization by activating the VEGFA/VEGFR2 pathway.",
        "Anti-angiogenic treatment reduced CD31-positive vessels and slowed the growth of {cl} xenografts.",
    ]),
    ("resisting cell death", [
        "{g} upregulated BCL-2 and conferred apoptosis resistance on {cl} cells exposed to chemotherapy.",
        "Knockdown of {g} increased cleaved caspase-3 and caspase-9 and induced apoptosis in {cl} cells.",
        "{nc} protected {c} cells from anoikis and programmed cell death by sequestering pro-apoptotic proteins.",
        "Survivin overexpression allowed {c} cells to resist apoptosis induced by {cd}.",
        "TUNEL staining showed fewer apoptotic cells in tumours with high {g} expression.",
        "Inhibition of {g} restored sensitivity to {cd}-induced apoptosis in resistant {cl} cells.",
    ]),
    ("sustaining proliferative signaling", [
        "{g} activated the PI3K/AKT/mTOR pathway and promoted the proliferation of {cl} cells.",
        "Ki-67 labelling and colony formation showed that {g} accelerated {c} cell proliferation.",
        "{nc} enhanced EGFR signalling and phosphorylation of ERK1/2, driving uncontrolled growth.",
        "Silencing {g} inhibited cell proliferation and blocked the MAPK/ERK cascade in {cl} cells.",
        "Activating KRAS mutations sustained mitogenic signalling independent of growth factors in {c}.",
        "{g} amplified growth factor receptor signalling and increased cyclin D1 expression in {c} cells.",
    ]),
    ("tumor promoting inflammation", [
        "{g} activated NF-kappaB and increased the secretion of IL-6 and TNF-alpha in the tumour microenvironment.",
        "Tumour-associated macrophages expressing COX-2 promoted {c} progression through chronic inflammation.",
        "{nc} amplified inflammatory signalling via STAT3, linking chronic inflammation to {c} growth.",
        "Elevated inflammatory cytokines and neutrophil infiltration were associated with {g} expression in {c}.",
        "Pro-inflammatory IL-1 beta released by stromal cells induced {g} and accelerated tumour formation.",
    ]),
]
HALLMARK_WEIGHTS = [0.12, 0.05, 0.05, 0.04, 0.07, 0.13, 0.08, 0.17, 0.19, 0.10]

# Two-hallmark sentences: (labels, template).
HALLMARK_PAIRS = [
    ((6, 0), "{g} promoted both angiogenesis and invasion, increasing VEGF levels and MMP-9 activity in {c}."),
    ((8, 7), "{g} knockdown inhibited proliferation and induced apoptosis of {cl} cells."),
    ((9, 1), "Chronic inflammation driven by IL-6 was accompanied by PD-L1 upregulation and immune evasion in {c}."),
    ((2, 8), "{g} coupled glycolytic metabolism to mitogenic AKT signalling and fast proliferation of {cl} cells."),
    ((5, 4), "{c} tumours with TP53 mutations showed chromosomal instability and lost p21-mediated growth arrest."),
]

# Sentences with no hallmark: background, methods and neutral findings (same genes and cancers, no cue words).
NEUTRAL_HOC = [
    "{c} remains one of the leading causes of cancer-related death worldwide.",
    "The molecular function of {g} in {c} has not been fully characterised.",
    "Despite advances in surgery and systemic therapy, the prognosis of {c} is still poor.",
    "We collected {n} paired tumour and adjacent normal tissue samples from patients with {c}.",
    "{g} expression was measured by {m} in {cl} cells and in clinical specimens.",
    "Clinicopathological data, including age, sex and tumour stage, were retrieved from medical records.",
    "Stable cell lines were established by {m2}.",
    "Patients were followed up for a median of {fu} months after surgery.",
    "The study protocol was approved by the institutional ethics committee.",
    "Data were analysed with {s}.",
    "{g} was located mainly in the cytoplasm of tumour cells.",
    "Public transcriptomic data sets were used to validate the expression pattern of {g}.",
    "These findings identify {g} as a potential prognostic biomarker and therapeutic target in {c}.",
    "Further work is required to define how {g} is regulated in {c}.",
    "Expression of {g} did not differ between tumour grades.",
    "Overall, this study provides new insight into the biology of {c}.",
]


def cap(s):
    """Upper-cases the first letter unless the first word is a symbol such as miR-21, p53, mTOR or 5-fluorouracil."""
    first = s.split(" ", 1)[0]
    if any(ch.isupper() or ch.isdigit() for ch in first):
        return s
    return s[0].upper() + s[1:]


def noncoding(r):
    if r.random() < 0.75:
        return r.choice(NONCODING_PREFIX) + str(r.choice([21, 155, 34, 145, 221, 200, 126, 9, 10, 17, 31, 375, 143, 122,
                                                          181, 186, 196, 214, 222, 338, 423, 451, 486, 497, 506, 520])) + r.choice(NONCODING_SUFFIX)
    return r.choice(LNC_NAMES) + str(r.randint(100, 999))


def pvalue(r, significant):
    if significant:
        return r.choice(["P < 0.001", "P = 0.002", "P = 0.004", "P = 0.01", "P = 0.003", "P = 0.02", "P < 0.01", "p < 0.001"])
    return "P = 0." + str(r.randint(15, 94))


def ratio_ci(r, kind):
    """A hazard/odds ratio with a 95% CI consistent with `kind`: 'down', 'up', 'null' or 'borderline'."""
    if kind == "down":
        est = r.uniform(0.45, 0.82)
        lo, hi = est * r.uniform(0.65, 0.85), est * r.uniform(1.05, min(1.2, 0.97 / est))
    elif kind == "up":
        est = r.uniform(1.3, 2.6)
        lo, hi = max(1.03, est * r.uniform(0.7, 0.85)), est * r.uniform(1.15, 1.5)
    elif kind == "null":
        est = r.uniform(0.9, 1.1)
        lo, hi = est * r.uniform(0.7, 0.85), est * r.uniform(1.15, 1.4)
    else:
        est = r.uniform(0.78, 0.92)
        lo, hi = est * r.uniform(0.75, 0.88), max(1.01, est * r.uniform(1.1, 1.25))
    return "%.2f (95%% CI %.2f to %.2f)" % (est, lo, hi)


# ------------------------------------------------------------------------------------------------ clinical studies

def clinical_study(r, label=None):
    """A trial or cohort study about one primary outcome; returns a dict of parts. label: yes / no / maybe."""
    if label is None:
        label = r.choices(["yes", "no", "maybe"], [0.55, 0.34, 0.11])[0]
    kind = r.choice(["trial", "trial", "association", "biomarker"])
    disease = r.choice(DISEASES)
    pop = r.choice(POPULATIONS)
    n = r.randint(60, 4800)
    outcome = r.choice(OUTCOMES)
    second = r.choice([o for o in OUTCOMES if o != outcome])
    years = r.randint(1998, 2016)
    d = {"label": label, "kind": kind, "disease": disease, "outcome": outcome, "n": n}
    if kind == "trial":
        treat = r.choice(DRUGS + INTERVENTIONS)
        d["treat"] = treat
        d["title"] = r.choice([
            "{T} versus {ctrl} for {o} in {pop} with {dis}: {design}",
            "Effect of {t} on {o} in {dis}",
            "{T} and {o} among {pop} with {dis}",
            "Does {t} change {o} in {dis}? Results of {design}",
        ])
        d["question"] = r.choice([
            "Does {t} reduce {o} in {pop} with {dis}?",
            "Is {t} effective in improving {o} in patients with {dis}?",
            "Does {t} lower {o} compared with {ctrl} in {dis}?",
            "Can {t} improve {o} among {pop} with {dis}?",
        ])
        design = r.choice(TRIAL_DESIGNS)
        background = [r.choice([
            "{Dis} is common among {pop} and {o} is an important marker of its burden.",
            "Whether {t} improves {o} in {dis} is uncertain.",
            "{Dis} places a substantial burden on patients and health systems, and {o} remains difficult to control.",
            "Previous small studies suggested that {t} might influence {o}, but the evidence is limited.",
        ]), r.choice([
            "We aimed to assess the effect of {t} on {o} in {pop} with {dis}.",
            "This study evaluated whether {t}, compared with {ctrl}, reduces {o}.",
            "The objective was to determine the efficacy and safety of {t} in {dis}.",
        ])]
        methods = [r.choice([
            "In {design} at {setting}, we randomly assigned {n} {pop} with {dis} to {t} or {ctrl}.",
            "We conducted {design} involving {n} participants with {dis} recruited from {setting} between {y1} and {y2}.",
            "{N} {pop} with {dis} were enrolled in {design} and allocated 1:1 to {t} or {ctrl} for {wk} weeks.",
        ]), r.choice([
            "The primary outcome was {o}; secondary outcomes included {o2} and adverse events.",
            "The primary end point was the change in {o} at {wk} weeks.",
            "Outcomes were assessed by investigators unaware of group assignment; the primary outcome was {o}.",
        ])]
        primary = {
            "yes": [
                "Compared with {ctrl}, {t} significantly reduced {o} (hazard ratio {hr_down}; {p_sig}).",
                "{T} led to a significant improvement in {o} relative to {ctrl} ({p_sig}).",
                "{O} was significantly lower in the {t} group than in the {ctrl} group ({a}% vs {b}%, {p_sig}).",
                "Treatment with {t} resulted in a marked and statistically significant reduction in {o} ({p_sig}).",
            ],
            "no": [
                "There was no significant difference in {o} between the {t} and {ctrl} groups (hazard ratio {hr_null}; {p_ns}).",
                "{T} did not significantly change {o} compared with {ctrl} ({p_ns}).",
                "{O} was similar in both groups ({a}% vs {a2}%, {p_ns}), showing no benefit of {t}.",
                "The trial found no effect of {t} on {o} ({p_ns}).",
            ],
            "maybe": [
                "Results for {o} were inconclusive: a small reduction with {t} did not reach significance (hazard ratio {hr_border}; {p_border}).",
                "The effect of {t} on {o} showed mixed results, with benefit in some centres but not in others.",
                "Findings on {o} were inconsistent across subgroups, and the overall effect of {t} remained uncertain.",
                "Evidence on {o} was conflicting: {t} appeared beneficial in per-protocol analyses only ({p_border} in the main analysis).",
            ],
        }
        conclusion = {
            "yes": ["In {pop} with {dis}, {t} significantly reduces {o} and should be considered in routine care.",
                    "{T} improves {o} in {dis}.",
                    "These results support the use of {t} to reduce {o} in {dis}."],
            "no": ["{T} does not reduce {o} in {pop} with {dis}.",
                   "In this population, {t} provided no meaningful benefit on {o} compared with {ctrl}.",
                   "Our findings do not support the use of {t} to improve {o} in {dis}."],
            "maybe": ["The effect of {t} on {o} remains uncertain; larger trials are needed.",
                      "Evidence is inconclusive, and further studies are needed before {t} can be recommended for {o}.",
                      "The benefit of {t} on {o} may depend on patient characteristics and requires confirmation."],
        }
    elif kind == "association":
        expo = r.choice(EXPOSURES)
        d["treat"] = expo
        d["title"] = r.choice([
            "{T} and risk of {o} in {pop} with {dis}: {design}",
            "Association between {t} and {o} in {dis}",
            "Is {t} linked to {o}? Evidence from {design}",
        ])
        d["question"] = r.choice([
            "Is {t} associated with {o} in {pop} with {dis}?",
            "Does {t} predict worse {o} in {dis}?",
            "Is {t} a risk factor for adverse {o} in {dis}?",
        ])
        design = r.choice(OBS_DESIGNS)
        background = [r.choice([
            "{T} has been proposed as a modifiable determinant of {o}, but data in {dis} are scarce.",
            "Little is known about the relation between {t} and {o} in {pop}.",
        ]), r.choice([
            "We examined whether {t} is associated with {o} in {pop} with {dis}.",
            "This study assessed the association of {t} with {o}.",
        ])]
        methods = [r.choice([
            "We used data from {design} of {n} {pop} with {dis} at {setting}, enrolled between {y1} and {y2}.",
            "{Design} including {n} participants with {dis} was conducted at {setting}.",
        ]), r.choice([
            "Associations were estimated with {s}, adjusted for age, sex, comorbidity and socioeconomic factors.",
            "We fitted {s} and adjusted for prespecified confounders.",
        ])]
        primary = {
            "yes": ["{T} was independently associated with worse {o} (adjusted odds ratio {or_up}; {p_sig}).",
                    "Participants with {t} had a significantly higher risk of adverse {o} (hazard ratio {or_up}).",
                    "A strong and significant association between {t} and {o} persisted after adjustment ({p_sig})."],
            "no": ["{T} was not associated with {o} after adjustment (odds ratio {hr_null}; {p_ns}).",
                   "No significant association was found between {t} and {o} ({p_ns}).",
                   "The risk of adverse {o} did not differ by {t} status (hazard ratio {hr_null})."],
            "maybe": ["The association between {t} and {o} was inconclusive, with a weak trend that disappeared after adjustment ({p_border}).",
                      "Analyses yielded mixed results: {t} was related to {o} in men but not in women.",
                      "Results were inconsistent across sensitivity analyses, so the role of {t} remains uncertain."],
        }
        conclusion = {
            "yes": ["{T} is associated with worse {o} in {dis} and may be a target for prevention.",
                    "Our data identify {t} as an independent risk factor for adverse {o}."],
            "no": ["{T} is not associated with {o} in {pop} with {dis}.",
                   "These findings argue against a link between {t} and {o}."],
            "maybe": ["Whether {t} affects {o} remains unclear and deserves further study.",
                      "The evidence is inconclusive; prospective studies are required."],
        }
    else:
        marker = r.choice(BIOMARKERS)
        d["treat"] = marker
        d["title"] = r.choice([
            "Diagnostic value of {t} for {dis} in {pop}",
            "{T} as a predictor of {o} in {dis}: {design}",
            "Can {t} identify {pop} at risk of poor {o}?",
        ])
        d["question"] = r.choice([
            "Does {t} predict {o} in patients with {dis}?",
            "Is {t} a useful marker of {o} in {dis}?",
            "Can {t} help identify {pop} with {dis} at risk of poor {o}?",
        ])
        design = r.choice(OBS_DESIGNS)
        background = [r.choice([
            "Early identification of patients at risk of poor {o} could improve the management of {dis}.",
            "{T} has been studied as a marker in several conditions, but its value in {dis} is unknown.",
        ]), "We evaluated the prognostic and diagnostic performance of {t} for {o} in {dis}."]
        methods = [r.choice([
            "{T} was measured at admission in {n} {pop} with {dis} enrolled in {design} at {setting}.",
            "In {design}, blood samples from {n} participants with {dis} were analysed for {t}.",
        ]), "Discrimination was assessed with receiver operating characteristic curves and {s}."]
        auc_hi = "%.2f" % r.uniform(0.80, 0.93)
        auc_lo = "%.2f" % r.uniform(0.50, 0.58)
        auc_mid = "%.2f" % r.uniform(0.62, 0.70)
        primary = {
            "yes": ["{T} significantly predicted {o}, with an area under the curve of " + auc_hi + " ({p_sig}).",
                    "Higher {t} was a strong and significant predictor of poor {o} (hazard ratio {or_up})."],
            "no": ["{T} did not predict {o}; the area under the curve was " + auc_lo + " ({p_ns}).",
                   "There was no significant difference in {t} between patients with and without poor {o} ({p_ns})."],
            "maybe": ["The predictive value of {t} for {o} was modest and inconclusive (area under the curve " + auc_mid + ").",
                      "{T} showed mixed results, performing well in the derivation cohort but not in the validation cohort."],
        }
        conclusion = {
            "yes": ["{T} is a useful predictor of {o} in {dis}.",
                    "Measuring {t} may help clinicians identify high-risk patients with {dis}."],
            "no": ["{T} is not a useful marker of {o} in {dis}.",
                   "Routine measurement of {t} cannot be recommended for predicting {o}."],
            "maybe": ["The role of {t} as a marker of {o} remains uncertain and needs validation.",
                      "Further studies are needed before {t} can be used in practice."],
        }
    a = r.randint(8, 45)
    slots = {
        "t": d["treat"], "T": cap(d["treat"]), "ctrl": r.choice(CONTROLS),
        "o": outcome, "O": cap(outcome), "o2": second, "pop": pop, "dis": disease,
        "Dis": cap(disease), "design": design, "Design": cap(design),
        "setting": r.choice(SETTINGS), "n": str(n), "N": str(n), "y1": str(years), "y2": str(years + r.randint(1, 6)),
        "wk": str(r.choice([4, 8, 12, 16, 24, 26, 48, 52])), "s": r.choice(STATS),
        "a": str(a), "b": str(a + r.randint(6, 20)), "a2": str(a + r.randint(-2, 2)),
        "hr_down": ratio_ci(r, "down"), "hr_null": ratio_ci(r, "null"), "hr_border": ratio_ci(r, "borderline"),
        "or_up": ratio_ci(r, "up"), "p_sig": pvalue(r, True), "p_ns": pvalue(r, False),
        "p_border": "P = 0.0" + str(r.randint(6, 9)),
    }
    fill = lambda s: s.format(**slots)
    results = [fill(r.choice(primary[label]))]
    # Secondary findings (random polarity, about another outcome) make the cue depend on the asked outcome.
    if r.random() < 0.5:
        sec = r.choice([
            "Rates of {o2} did not differ significantly between groups.",
            "{o2} improved significantly in both groups over time.",
            "Adverse events were mild and similar across groups.",
            "A significant reduction in {o2} was also observed.",
            "Results for {o2} were mixed across centres.",
            "Adherence to the assigned treatment exceeded 85% in both groups.",
        ]).replace("{o2}", second)
        sec = fill(sec)
        sec = cap(sec)
        results.insert(r.randint(0, 1), sec)
    if r.random() < 0.6:
        results.insert(0, fill(r.choice([
            "Of the {n} participants, {a}% were women and the mean age was " + str(r.randint(28, 78)) + " years.",
            "Follow-up was complete for " + str(r.randint(86, 99)) + "% of participants.",
            "Baseline characteristics were balanced between the groups.",
            "The median follow-up was " + str(r.randint(6, 60)) + " months.",
        ])))
    d["title"] = fill(d["title"])
    d["title"] = cap(d["title"])
    d["question"] = fill(d["question"])
    d["background"] = [fill(s) for s in background]
    d["methods"] = [fill(s) for s in methods]
    d["results"] = results
    d["conclusion"] = fill(r.choice(conclusion[label]))
    d["conclusion"] = cap(d["conclusion"])
    d["meshes"] = mesh_terms(r, d)
    return d


def mesh_terms(r, d):
    terms = r.sample(MESH_COMMON, r.randint(6, 12))
    terms.append(" ".join(w.capitalize() if i == 0 else w for i, w in enumerate(d["disease"].split())))
    terms.append(cap(d["treat"]))
    terms.sort()
    return terms


# ------------------------------------------------------------------------------------------------ cancer biology

def cancer_sentence_slots(r):
    return {"g": r.choice(GENES), "c": r.choice(CANCERS), "cl": r.choice(CELL_LINES), "nc": noncoding(r),
            "m": r.choice(LAB_METHODS), "m2": r.choice(STABLE_METHODS), "cd": r.choice(CANCER_DRUGS),
            "n": str(r.randint(24, 420)), "fu": str(r.randint(18, 96)), "s": r.choice(STATS)}


def cancer_abstract(r, labels=None):
    """A cancer-biology abstract as a list of (sentence, labels) plus a title. labels: hallmark indices to cover."""
    if labels is None:
        if r.random() < 0.18:
            labels = []
        else:
            k = r.choices([1, 2, 3], [0.55, 0.3, 0.15])[0]
            labels = []
            while len(labels) < k:
                h = r.choices(range(10), HALLMARK_WEIGHTS)[0]
                if h not in labels:
                    labels.append(h)
    base = cancer_sentence_slots(r)
    fill = lambda t, extra=None: t.format(**dict(base, **(extra or {})))
    sents = []
    for t in r.sample(NEUTRAL_HOC[:3], r.randint(1, 2)):
        sents.append((fill(t), []))
    for t in r.sample(NEUTRAL_HOC[3:12], r.randint(1, 3)):
        sents.append((fill(t), []))
    findings = []
    for h in labels:
        for t in r.sample(HALLMARKS[h][1], r.randint(1, 2)):
            # sometimes a second gene or cell line, so that one abstract is not about a single gene only
            extra = {"g": r.choice(GENES)} if r.random() < 0.3 else None
            findings.append((fill(t, extra), [h]))
    if len(labels) >= 2 and r.random() < 0.3:
        pairs = [p for p in HALLMARK_PAIRS if p[0][0] in labels or p[0][1] in labels]
        if pairs:
            p = r.choice(pairs)
            findings.append((fill(p[1]), list(p[0])))
    if r.random() < 0.5:
        findings.append((fill(r.choice(NEUTRAL_HOC[12:15])), []))
    r.shuffle(findings)
    sents.extend(findings)
    if labels and r.random() < 0.5:
        h = r.choice(labels)
        sents.append((fill("Taken together, {g} contributes to {c} by " + HALLMARK_PHRASE[h] + "."), [h]))
    else:
        used = [x for x, _ in sents]
        sents.append((r.choice([x for x in (fill(t) for t in NEUTRAL_HOC[12:]) if x not in used]), []))
    sents = [(cap(s), l) for s, l in sents]
    title = fill(r.choice([
        "{g} in {c}: expression, function and clinical significance",
        "{nc} regulates {g} in {c}",
        "Role of {g} in the progression of {c}",
        "{g} as a prognostic marker and therapeutic target in {c}",
        "Targeting {g} sensitizes {c} cells to {cd}",
    ]))
    return cap(title), sents


HALLMARK_PHRASE = [
    "promoting invasion and metastasis", "helping tumour cells evade immune destruction",
    "reprogramming energy metabolism toward glycolysis", "sustaining telomerase activity and replicative immortality",
    "inactivating growth suppressors", "increasing genomic instability", "inducing angiogenesis",
    "conferring resistance to apoptosis", "sustaining proliferative signalling", "fuelling tumour-promoting inflammation",
]


# ------------------------------------------------------------------------------------------------ other abstract kinds

def case_report(r):
    dis = r.choice(DISEASES + CANCERS)
    drug = r.choice(DRUGS + CANCER_DRUGS)
    age = r.randint(3, 88)
    sex = r.choice(["boy", "girl"]) if age < 16 else r.choice(["man", "woman"])
    title = r.choice(["An unusual presentation of {dis} in a {age}-year-old {sex}: a case report",
                      "{Drug}-associated complication in a patient with {dis}",
                      "Delayed diagnosis of {dis}: lessons from a case"])
    sents = [
        r.choice(["{Dis} rarely presents with isolated neurological symptoms.",
                  "Adverse reactions to {drug} are uncommon but can be severe.",
                  "Atypical presentations of {dis} may delay diagnosis."]),
        "We describe a {age}-year-old {sex} who presented with " + r.choice(
            ["progressive dyspnoea", "fever and weight loss", "acute abdominal pain", "recurrent syncope",
             "a painless neck mass", "new-onset seizures", "bilateral leg swelling", "a widespread skin rash"]) +
        " over " + str(r.randint(2, 20)) + " " + r.choice(["days", "weeks", "months"]) + ".",
        r.choice(["Laboratory tests showed elevated inflammatory markers and mild anaemia.",
                  "Imaging revealed a " + str(r.randint(12, 80)) + "-mm lesion with contrast enhancement.",
                  "Initial investigations, including blood cultures and chest radiography, were unremarkable."]),
        r.choice(["A biopsy confirmed the diagnosis of {dis}.",
                  "The diagnosis of {dis} was established after a multidisciplinary review.",
                  "Genetic testing identified a pathogenic variant in " + r.choice(GENES) + "."]),
        r.choice(["Treatment with {drug} was started and symptoms resolved within " + str(r.randint(2, 12)) + " weeks.",
                  "{Drug} was discontinued, and the patient recovered fully.",
                  "Despite treatment with {drug}, the disease progressed."]),
        r.choice(["Clinicians should consider {dis} in patients with similar findings.",
                  "This case highlights the need for careful monitoring during {drug} therapy.",
                  "Early recognition allows timely treatment and may improve outcomes."]),
    ]
    slots = {"dis": dis, "Dis": cap(dis), "drug": drug, "Drug": cap(drug),
             "age": age, "sex": sex}
    title = title.format(**slots)
    return cap(title), " ".join(s.format(**slots) for s in sents)


def review(r):
    dis = r.choice(DISEASES)
    treat = r.choice(DRUGS + INTERVENTIONS)
    k = r.randint(5, 64)
    n = r.randint(900, 60000)
    label = r.choices(["yes", "no", "maybe"], [0.5, 0.3, 0.2])[0]
    o = r.choice(OUTCOMES)
    effect = {"yes": "Pooled analysis showed that {t} significantly reduced {o} (risk ratio " + ratio_ci(r, "down") + "), with low heterogeneity.",
              "no": "Pooled analysis showed no significant difference in {o} (risk ratio " + ratio_ci(r, "null") + ").",
              "maybe": "Pooled estimates for {o} were inconclusive, and heterogeneity between trials was substantial (I2 = " + str(r.randint(55, 90)) + "%)."}[label]
    concl = {"yes": "The current evidence supports {t} for reducing {o} in {dis}.",
             "no": "The current evidence does not support {t} for {o} in {dis}.",
             "maybe": "The evidence remains of low certainty; high-quality trials are needed."}[label]
    sents = [
        "This systematic review and meta-analysis assessed the effect of {t} on {o} in {dis}.",
        "We searched " + r.choice(["MEDLINE, Embase and CENTRAL", "four electronic databases", "bibliographic databases and trial registries"]) +
        " from inception to " + str(r.randint(2010, 2023)) + " for " + r.choice(["randomized controlled trials", "controlled studies", "prospective studies"]) + ".",
        "Two reviewers independently extracted data and assessed risk of bias.",
        "{k} studies with {n} participants were included.",
        effect, r.choice(["Certainty of evidence was rated as moderate.", "Risk of bias was low in most trials.",
                          "Small-study effects were not detected.", "Subgroup analyses by dose gave similar results."]),
        concl,
    ]
    slots = {"t": treat, "o": o, "dis": dis, "k": k, "n": n}
    title = r.choice(["{T} for {dis}: a systematic review and meta-analysis",
                      "Efficacy of {t} on {o}: meta-analysis of randomized trials"])
    title = title.format(T=cap(treat), **slots)
    text = " ".join(s.format(**slots) for s in sents)
    return cap(title), cap(text)


def prevalence(r):
    dis = r.choice(DISEASES)
    pop = r.choice(POPULATIONS)
    n = r.randint(400, 90000)
    pct = r.uniform(2, 38)
    expo = r.choice(EXPOSURES)
    sents = [
        "Reliable estimates of the burden of {dis} among {pop} are lacking.",
        "We conducted a cross-sectional survey of {n} {pop} at " + r.choice(SETTINGS) + ".",
        "{Dis} was defined by " + r.choice(["standard diagnostic criteria", "a validated questionnaire", "clinical records and laboratory tests"]) + ".",
        "The overall prevalence was %.1f%% (95%% CI %.1f to %.1f)." % (pct, pct * 0.85, pct * 1.15),
        r.choice(["Prevalence increased with age and was higher in women.",
                  "Prevalence was higher in rural than in urban areas.",
                  "Rates were similar across age groups."]),
        "{Expo} was associated with higher odds of {dis} (odds ratio " + ratio_ci(r, "up") + ").",
        r.choice(["Targeted screening of high-risk groups is warranted.",
                  "These data can inform the planning of health services.",
                  "Public health strategies should address modifiable risk factors."]),
    ]
    slots = {"dis": dis, "Dis": cap(dis), "pop": pop, "n": n, "Expo": cap(expo)}
    title = "Prevalence and correlates of {dis} among {pop}".format(**slots)
    return cap(title), " ".join(s.format(**slots) for s in sents)


def clinical_text(d):
    return " ".join(d["background"] + d["methods"] + d["results"] + [d["conclusion"]])


# ------------------------------------------------------------------------------------------------ outputs

def make_pubmed(r, target_bytes):
    docs, size = [], 0
    while size < target_bytes:
        kind = r.choices(["clinical", "cancer", "case", "review", "prevalence"], [0.45, 0.3, 0.1, 0.08, 0.07])[0]
        if kind == "clinical":
            d = clinical_study(r)
            title, text = d["title"], clinical_text(d)
        elif kind == "cancer":
            title, sents = cancer_abstract(r)
            text = " ".join(s for s, _ in sents)
        elif kind == "case":
            title, text = case_report(r)
        elif kind == "review":
            title, text = review(r)
        else:
            title, text = prevalence(r)
        doc = title + "\n" + text + "\n"
        docs.append(doc)
        size += len(doc.encode("utf-8")) + 1
    return "\n".join(docs)


BACKGROUND_HEADINGS = ["BACKGROUND", "OBJECTIVE", "PURPOSE", "INTRODUCTION", "OBJECTIVES", "AIMS"]
METHODS_HEADINGS = ["METHODS", "MATERIALS AND METHODS", "DESIGN", "PATIENTS AND METHODS", "METHOD", "STUDY DESIGN"]


def make_pubmedqa(r, count, test_count, first_pmid):
    n_yes, n_no = round(count * 0.55), round(count * 0.34)
    labels = ["yes"] * n_yes + ["no"] * n_no + ["maybe"] * (count - n_yes - n_no)
    r.shuffle(labels)
    items = {}
    for i, label in enumerate(labels):
        d = clinical_study(r, label)
        if r.random() < 0.35:  # background and methods as one or two contexts, like real abstracts vary
            contexts = [" ".join(d["background"]), " ".join(d["methods"]), " ".join(d["results"])]
            heads = [r.choice(BACKGROUND_HEADINGS), r.choice(METHODS_HEADINGS), "RESULTS"]
        elif r.random() < 0.5:
            contexts = [d["background"][0], d["background"][1], " ".join(d["methods"]), " ".join(d["results"])]
            heads = ["BACKGROUND", "OBJECTIVE", r.choice(METHODS_HEADINGS), "RESULTS"]
        else:
            contexts = [" ".join(d["background"] + d["methods"]), " ".join(d["results"])]
            heads = [r.choice(BACKGROUND_HEADINGS), "RESULTS"]
        others = [x for x in ["yes", "no", "maybe"] if x != label]
        req = label if r.random() < 0.78 else r.choice(others)
        free = label if r.random() < 0.9 else r.choice(others)
        items[str(first_pmid + i)] = {
            "QUESTION": cap(d["question"]),
            "CONTEXTS": contexts,
            "LABELS": heads,
            "MESHES": d["meshes"],
            "YEAR": None if r.random() < 0.06 else str(r.randint(1996, 2018)),
            "reasoning_required_pred": req,
            "reasoning_free_pred": free,
            "final_decision": label,
            "LONG_ANSWER": d["conclusion"],
        }
    # the test part: stratified by label, like the official 500/500 cut
    by_label = {lab: [k for k, v in items.items() if v["final_decision"] == lab] for lab in ["yes", "no", "maybe"]}
    quota = {lab: test_count * len(keys) // count for lab, keys in by_label.items()}
    by_remainder = sorted(by_label, key=lambda lab: -(test_count * len(by_label[lab]) % count))
    for lab in by_remainder[:test_count - sum(quota.values())]:  # largest remainders get the leftover items
        quota[lab] += 1
    test = []
    for lab in ["yes", "no", "maybe"]:
        test += r.sample(by_label[lab], quota[lab])
    r.shuffle(test)
    return items, {k: items[k]["final_decision"] for k in test}


def make_hoc(r, counts, first_pmid):
    out, pmid = {}, first_pmid
    for split, n in counts:
        rows = ["labels\tsentence\tindex"]
        for _ in range(n):
            _, sents = cancer_abstract(r)
            for i, (s, labs) in enumerate(sents):
                flags = ",".join("%d_%d" % (k, 1 if k in labs else 0) for k in range(10))
                assert "\t" not in s and "\n" not in s
                rows.append("%s\t%s\t%d_s%d" % (flags, s, pmid, i))
            pmid += 1
        out[split] = "\n".join(rows) + "\n"
    return out


def check_pubmedqa(items, truth):
    """The MANIFEST's field list and types (/work/shared/data/MANIFEST.md), checked on what we wrote."""
    fields = ["QUESTION", "CONTEXTS", "LABELS", "MESHES", "YEAR", "reasoning_required_pred", "reasoning_free_pred",
              "final_decision", "LONG_ANSWER"]
    for k, v in items.items():
        assert k.isdigit() and list(v) == fields, k
        assert isinstance(v["QUESTION"], str) and isinstance(v["LONG_ANSWER"], str)
        assert all(isinstance(x, str) for x in v["CONTEXTS"] + v["LABELS"] + v["MESHES"])
        assert len(v["CONTEXTS"]) == len(v["LABELS"]) >= 1
        assert v["YEAR"] is None or isinstance(v["YEAR"], str)
        for f in ["reasoning_required_pred", "reasoning_free_pred", "final_decision"]:
            assert v[f] in ("yes", "no", "maybe")
    for k, lab in truth.items():
        assert items[k]["final_decision"] == lab


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "corpus-samples")
    os.makedirs(os.path.join(out, "pubmedqa"), exist_ok=True)
    os.makedirs(os.path.join(out, "hoc"), exist_ok=True)

    text = make_pubmed(random.Random(SEED + "/pubmed"), 2_700_000)
    with open(os.path.join(out, "pubmed-sample.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write(text)

    items, truth = make_pubmedqa(random.Random(SEED + "/pubmedqa"), 400, 150, 90000001)
    check_pubmedqa(items, truth)
    with open(os.path.join(out, "pubmedqa", "ori_pqal.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(items, f, indent=4)
    with open(os.path.join(out, "pubmedqa", "test_ground_truth.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(truth, f, indent=4)

    hoc = make_hoc(random.Random(SEED + "/hoc"), [("train", 500), ("dev", 80), ("test", 120)], 90100001)
    for split, body in hoc.items():
        with open(os.path.join(out, "hoc", split + ".tsv"), "w", encoding="utf-8", newline="\n") as f:
            f.write(body)

    total = 0
    for root, _, files in os.walk(out):
        for name in sorted(files):
            total += os.path.getsize(os.path.join(root, name))
    print("wrote %s: %d bytes in all" % (out, total), file=sys.stderr)


if __name__ == "__main__":
    main()
