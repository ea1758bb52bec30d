#!/usr/bin/env python3
"""Summarises PIT's mutations.xml files (mvn -Pmutation ..., target/pit-reports*/mutations.xml) for README.md's
quality section: per file, mutants generated, killed (KILLED or TIMED_OUT), survived, without coverage, and the
score killed / generated; with --survivors, every surviving or uncovered mutant (class, method, line, mutator,
description), which docs/MUTATION.md either kills with a test or explains as equivalent.

  /usr/bin/python3 tools/pit_summary.py [--survivors] LABEL=target/pit-reports-optim/mutations.xml ...

A label may name several reports of the same classes, separated by commas: passes of PIT over the same code with
different JVM options, e.g. the machine's default vector width and a 4-lane pass (PIT_LANES=4 tools/pit_groups.sh):

  /usr/bin/python3 tools/pit_summary.py \\
      sparse=target/pit-reports-sparse/mutations.xml,target/pit-reports-sparse-4lanes/mutations.xml

They are merged per mutant (class, method, method descriptor, line, mutator, instruction indexes): killed if some
pass killed it, survived if some pass covered it and none killed it, not covered if no pass covered it. The passes
must hold the same mutants, or the script stops. Each pass's row is printed above the merged one, and below the
table the mutants that each pass alone kills or covers.
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

KILLED = ("KILLED", "TIMED_OUT", "MEMORY_ERROR")


def key(m):
    return (m.findtext("mutatedClass"), m.findtext("mutatedMethod"), m.findtext("methodDescription"),
            m.findtext("lineNumber"), m.findtext("mutator"), tuple(i.text for i in m.iter("index")))


def describe(label, m, status):
    return "%s %s.%s line %s [%s] %s: %s" % (
        label, m.findtext("mutatedClass").rsplit(".", 1)[-1], m.findtext("mutatedMethod"),
        m.findtext("lineNumber"), status, m.findtext("mutator").rsplit(".", 1)[-1], m.findtext("description"))


def killer(m):
    """"KILLED by SparseSimdTest.method" from PIT's killingTest (.../[class:C]/[method:M()]), or the bare status."""
    test = m.findtext("killingTest") or ""
    found = re.search(r"\[class:([^\]]+)\].*\[(?:method|property|test-template):([^\](]+)", test)
    if not found:
        return m.get("status")
    return "%s by %s.%s" % (m.get("status"), found.group(1).rsplit(".", 1)[-1], found.group(2))


def row(label, statuses):
    killed = sum(1 for s in statuses if s in KILLED)
    surv = sum(1 for s in statuses if s == "SURVIVED")
    nocov = sum(1 for s in statuses if s == "NO_COVERAGE")
    score = 100.0 * killed / len(statuses) if statuses else float("nan")
    return "| %s | %d | %d | %d | %d | %.0f%% |" % (label, len(statuses), killed, surv, nocov, score)


def merged_status(statuses):
    """Killed in some pass; else survived in some pass; else not covered in every pass; else (an error status that
    no pass improved on) the first pass's, which the table counts in no column but mutants, as for one report."""
    if any(s in KILLED for s in statuses):
        return next(s for s in statuses if s in KILLED)
    if "SURVIVED" in statuses:
        return "SURVIVED"
    if all(s == "NO_COVERAGE" for s in statuses):
        return "NO_COVERAGE"
    return next(s for s in statuses if s != "NO_COVERAGE")


def pass_name(path):
    return os.path.basename(os.path.dirname(os.path.abspath(path))) or path


def load(path):
    """The report's mutants by key, in file order; a key twice in one report would make merging ambiguous."""
    muts = {}
    for m in ET.parse(path).getroot().findall("mutation"):
        k = key(m)
        if k in muts:
            sys.exit("%s: two mutants with the same key %s; cannot merge passes by key" % (path, k))
        muts[k] = m
    return muts


def group(label, paths, table, notes, rest):
    if len(paths) == 1:
        muts = ET.parse(paths[0]).getroot().findall("mutation")
        table.append(row(label, [m.get("status") for m in muts]))
        for status in ("SURVIVED", "NO_COVERAGE"):
            rest.extend(describe(label, m, status) for m in muts if m.get("status") == status)
        return
    passes = [load(p) for p in paths]
    first = passes[0]
    for p, muts in zip(paths[1:], passes[1:]):
        if muts.keys() != first.keys():
            only_first = sorted(first.keys() - muts.keys())
            only_this = sorted(muts.keys() - first.keys())
            lines = ["%s: the passes do not hold the same mutants (%d only in %s, %d only in %s); were they run on "
                     "the same code and classes?" % (label, len(only_first), paths[0], len(only_this), p)]
            classes_first, classes_this = {k[0] for k in first}, {k[0] for k in muts}
            if classes_first != classes_this:
                lines.append("  classes only in %s: %s" % (paths[0], sorted(classes_first - classes_this)))
                lines.append("  classes only in %s: %s" % (p, sorted(classes_this - classes_first)))
            lines += ["  only in %s: %s" % (paths[0], k) for k in only_first[:5]]
            lines += ["  only in %s: %s" % (p, k) for k in only_this[:5]]
            sys.exit("\n".join(lines))
    names = [pass_name(p) for p in paths]
    if len(set(names)) < len(names):
        names = list(paths)
    for name, muts in zip(names, passes):
        table.append(row("%s (%s)" % (label, name), [m.get("status") for m in muts.values()]))
    merged = {k: merged_status([muts[k].get("status") for muts in passes]) for k in first}
    table.append(row(label + " (merged)", list(merged.values())))
    for i, (name, muts) in enumerate(zip(names, passes)):
        others = passes[:i] + passes[i + 1:]
        kills = [k for k in first if muts[k].get("status") in KILLED
                 and not any(o[k].get("status") in KILLED for o in others)]
        covers = [k for k in first if muts[k].get("status") == "SURVIVED"
                  and all(o[k].get("status") == "NO_COVERAGE" for o in others)]
        notes.append("%s: %s alone kills %d mutant(s), and alone covers %d more that survive it"
                     % (label, name, len(kills), len(covers)))
        notes.extend("- " + describe(name, muts[k], killer(muts[k])) for k in kills)
        notes.extend("- " + describe(name, muts[k], "SURVIVED, not covered elsewhere") for k in covers)
    for status in ("SURVIVED", "NO_COVERAGE"):
        rest.extend(describe(label, first[k], s) for k, s in merged.items() if s == status)


def main(argv):
    survivors = "--survivors" in argv
    args = [a for a in argv if a != "--survivors"]
    table = ["| group | mutants | killed | survived | no coverage | score |", "|---|---|---|---|---|---|"]
    notes, rest = [], []
    for arg in args:
        label, paths = arg.split("=", 1)
        group(label, paths.split(","), table, notes, rest)
    print("\n".join(table))
    if notes:
        print()
        print("\n".join(notes))
    if survivors:
        print()
        for r in rest:
            print("- " + r)


if __name__ == "__main__":
    main(sys.argv[1:])
