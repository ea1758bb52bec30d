package mediswift4j.nn;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API twin of {@link Masks#apply}: weights[i] = 0 wherever keep[i] == 0, a byte vector of the mask at a
 * time without a branch (the plain loop's branch on a random mask mispredicts about once per three entries at 75%
 * sparsity). The same stores of +0 at the same positions, so results are identical at any width. Used only when
 * tensor/Simd.ENABLED. The smallest byte vector is 64 bits: with 16 float lanes a 128-bit byte vector covers one
 * float vector; with 8 lanes a 64-bit one does; with 4 lanes a 64-bit one covers two float vectors (two parts).
 */
final class MaskSimd {
    private MaskSimd() {}

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Byte> B = F.length() >= 16 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
    /** Float vectors per byte vector. */
    static final int PARTS = B.length() / F.length();
    static final boolean USABLE = F.length() >= 4 && B.length() % F.length() == 0;

    static void apply(float[] weights, byte[] keep) {
        int n = weights.length, i = 0, step = B.length(), lanes = F.length();
        FloatVector zero = FloatVector.zero(F);
        for (int nv = n - n % step; i < nv; i += step) {
            ByteVector k = ByteVector.fromArray(B, keep, i);
            for (int part = 0; part < PARTS; part++) {
                VectorMask<Float> masked = ((FloatVector) k.convertShape(VectorOperators.B2F, F, part)).compare(VectorOperators.EQ, 0f);
                int at = i + part * lanes;
                if (masked.anyTrue()) FloatVector.fromArray(F, weights, at).blend(zero, masked).intoArray(weights, at);
            }
        }
        for (; i < n; i++) if (keep[i] == 0) weights[i] = 0f;
    }
}
