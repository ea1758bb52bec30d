#!/bin/sh
# Regenerates the real-training-loop golden vectors of TrainerGoldenTest (SPEC.md section 14):
#   1. TrainerGoldenFixtures (Java, test classes) writes src/test/resources/golden/trainer_inputs.json and the
#      starting models of Trainer.fresh at sparsity 0, 0.5 and 0.75 into a scratch directory;
#   2. tools/torch_gpt.py trainer trains the PyTorch twin from them on the recorded batches and writes
#      src/test/resources/golden/trainer_torch.safetensors.
# Run from the repository root after `mvn -o -q test-compile`. Needs /usr/bin/python3 with torch and numpy.
set -eu
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes \
    mediswift4j.golden.TrainerGoldenFixtures src/test/resources/golden "$scratch"
cd tools && /usr/bin/python3 torch_gpt.py trainer --inputs ../src/test/resources/golden/trainer_inputs.json \
    --models "$scratch" --out ../src/test/resources/golden/trainer_torch.safetensors
