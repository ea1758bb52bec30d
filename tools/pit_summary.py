#!/usr/bin/env python3
"""Summarises PIT's mutations.xml files (mvn -Pmutation ..., target/pit-reports*/mutations.xml) for README.md's
quality section: per file, mutants generated, killed (KILLED or TIMED_OUT), survived, without coverage, and the
score killed / generated; with --survivors, every surviving or uncovered mutant (class, method, line, mutator,
description), which docs/MUTATION.md either kills with a test or explains as equivalent.

  /usr/bin/python3 tools/pit_summary.py [--survivors] LABEL=target/pit-reports-optim/mutations.xml ...
"""
import sys
import xml.etree.ElementTree as ET


def main(argv):
    survivors = "--survivors" in argv
    args = [a for a in argv if a != "--survivors"]
    print("| group | mutants | killed | survived | no coverage | score |")
    print("|---|---|---|---|---|---|")
    rest = []
    for arg in args:
        label, path = arg.split("=", 1)
        muts = ET.parse(path).getroot().findall("mutation")
        killed = sum(1 for m in muts if m.get("status") in ("KILLED", "TIMED_OUT", "MEMORY_ERROR"))
        surv = [m for m in muts if m.get("status") == "SURVIVED"]
        nocov = [m for m in muts if m.get("status") == "NO_COVERAGE"]
        score = 100.0 * killed / len(muts) if muts else float("nan")
        print("| %s | %d | %d | %d | %d | %.0f%% |" % (label, len(muts), killed, len(surv), len(nocov), score))
        for m in surv + nocov:
            rest.append("%s %s.%s line %s [%s] %s: %s" % (
                label, m.findtext("mutatedClass").rsplit(".", 1)[-1], m.findtext("mutatedMethod"),
                m.findtext("lineNumber"), m.get("status"), m.findtext("mutator").rsplit(".", 1)[-1],
                m.findtext("description")))
    if survivors:
        print()
        for r in rest:
            print("- " + r)


if __name__ == "__main__":
    main(sys.argv[1:])
