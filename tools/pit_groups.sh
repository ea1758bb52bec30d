#!/bin/sh
# Runs PIT (the `mutation` Maven profile) one package group at a time, each with only the tests that exercise it,
# writing target/pit-reports-GROUP/ and printing the table of tools/pit_summary.py. On 2 shared cores a group takes
# 1-30 minutes (autograd the longest). Usage: tools/pit_groups.sh [GROUP ...]   (default: all groups, in order)
set -eu
classes() {
    case "$1" in
        optim) echo 'mediswift4j.optim.*' ;;
        masks) echo 'mediswift4j.nn.Masks*,mediswift4j.nn.ModelMasks*' ;;
        metrics) echo 'mediswift4j.pubmedqa.PubmedqaMetrics*,mediswift4j.hoc.HocMetrics*,mediswift4j.eval.*' ;;
        splits) echo 'mediswift4j.pubmedqa.PubmedqaSplits*,mediswift4j.pubmedqa.PythonRandom*' ;;
        checkpoint) echo 'mediswift4j.train.Checkpoint*' ;;
        sparse) echo 'mediswift4j.sparse.*' ;;
        autograd) echo 'mediswift4j.autograd.*' ;;
    esac
}
tests() {
    case "$1" in
        optim) echo 'mediswift4j.optim.*' ;;
        masks) echo 'mediswift4j.nn.*Test,mediswift4j.golden.MaskVectorsTest' ;;
        metrics) echo 'mediswift4j.pubmedqa.*Test,mediswift4j.hoc.*Test,mediswift4j.eval.*Test' ;;
        splits) echo 'mediswift4j.pubmedqa.*Test' ;;
        checkpoint) echo 'mediswift4j.train.Checkpoint*Test,mediswift4j.train.ParameterHashTest,mediswift4j.train.KernelChoicesTest,mediswift4j.train.ResumeTest,mediswift4j.reliability.LoaderFuzzTest,mediswift4j.reliability.LengthFieldTest,mediswift4j.reliability.ResumeFailureModesTest,mediswift4j.interop.ExportImportTest' ;;
        sparse) echo 'mediswift4j.sparse.*Test' ;;
        autograd) echo 'mediswift4j.autograd.*Test' ;;
    esac
}
groups=${*:-optim masks metrics splits checkpoint sparse autograd}
mkdir -p target
summary=""
for g in $groups; do
    mvn -o -q -Pmutation test-compile org.pitest:pitest-maven:mutationCoverage -Dpit.threads="${PIT_THREADS:-2}" \
        -Dpit.classes="$(classes "$g")" -Dpit.tests="$(tests "$g")" -DreportsDirectory="target/pit-reports-$g" \
        > "target/pit-$g.log" 2>&1 || { echo "PIT failed for $g: see target/pit-$g.log"; exit 1; }
    summary="$summary $g=target/pit-reports-$g/mutations.xml"
done
/usr/bin/python3 "$(dirname "$0")/pit_summary.py" $summary
