package mediswift4j.nn;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API twin of {@link Masks#apply}: weights[i] = 0 wherever keep[i] == 0, sixteen entries per step
 * without a branch (the plain loop's branch on a random mask mispredicts about once per three entries at 75%
 * sparsity). The same stores of +0 at the same positions, so results are identical. Used only when
 * tensor/Simd.ENABLED and the preferred float vector has 16 lanes (a 128-bit byte vector then has as many).
 */
final class MaskSimd {
    private MaskSimd() {}

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    static final boolean USABLE = F.length() == B.length();

    static void apply(float[] weights, byte[] keep) {
        int n = weights.length, i = 0;
        FloatVector zero = FloatVector.zero(F);
        for (int nv = n - n % 16; i < nv; i += 16) {
            VectorMask<Float> masked = ((FloatVector) ByteVector.fromArray(B, keep, i).convertShape(VectorOperators.B2F, F, 0))
                    .compare(VectorOperators.EQ, 0f);
            if (masked.anyTrue()) FloatVector.fromArray(F, weights, i).blend(zero, masked).intoArray(weights, i);
        }
        for (; i < n; i++) if (keep[i] == 0) weights[i] = 0f;
    }
}
