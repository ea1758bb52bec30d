#!/bin/sh
# Runs PIT (the `mutation` Maven profile) one package group at a time, each with only the tests that exercise it,
# writing target/pit-reports-GROUP/ and printing the table of tools/pit_summary.py. On 2 shared cores a group takes
# 1-30 minutes (autograd the longest). Usage: tools/pit_groups.sh [GROUP ...]   (default: all groups, in order)
# PIT_LANES=4 (or 8, 16) runs PIT's JVMs with that many float lanes in the Vector API (-XX:MaxVectorSize=4*N bytes)
# instead of the machine's default, writing target/pit-reports-GROUP-4lanes/ and target/pit-GROUP-4lanes.log, so the
# kernels' paths for other widths get mutated and tested; tools/pit_summary.py merges such a pass with the default
# one (GROUP=default.xml,4lanes.xml). PIT_THREADS (default 2) sets PIT's threads.
set -eu
suffix=""
lanes_arg="-Dmediswift4j.pit.lanes=default"
if [ -n "${PIT_LANES:-}" ]; then
    case "$PIT_LANES" in
        4|8|16) ;;
        *) echo "PIT_LANES must be 4, 8 or 16, not $PIT_LANES"; exit 1 ;;
    esac
    lanes_arg="-XX:MaxVectorSize=$((4 * PIT_LANES))"
    suffix="-${PIT_LANES}lanes"
    # the option only caps the width: check that this machine's JVM really gives PIT_LANES float lanes with it
    check=$(mktemp -d)
    echo 'class LanesCheck { public static void main(String[] a) {
        System.out.println(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length()); } }' > "$check/LanesCheck.java"
    got=$("${JAVA_HOME:+$JAVA_HOME/bin/}java" "$lanes_arg" --add-modules jdk.incubator.vector \
        "$check/LanesCheck.java" 2>/dev/null) || got=""
    rm -r "$check"
    if [ "$got" != "$PIT_LANES" ]; then
        echo "with $lanes_arg this JVM gives ${got:-no} float lanes, not $PIT_LANES"
        exit 1
    fi
fi
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
        -Dpit.classes="$(classes "$g")" -Dpit.tests="$(tests "$g")" -Dpit.lanesArg="$lanes_arg" \
        -DreportsDirectory="target/pit-reports-$g$suffix" \
        > "target/pit-$g$suffix.log" 2>&1 || { echo "PIT failed for $g: see target/pit-$g$suffix.log"; exit 1; }
    summary="$summary $g$suffix=target/pit-reports-$g$suffix/mutations.xml"
done
/usr/bin/python3 "$(dirname "$0")/pit_summary.py" $summary
