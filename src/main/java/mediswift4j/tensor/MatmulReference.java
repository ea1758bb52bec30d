package mediswift4j.tensor;

/**
 * The naive twin of {@link Matmul}: the textbook triple loop, accumulated in double. Every optimized kernel is
 * tested against this on awkward shapes. Same argument convention as {@link Matmul#matmul}.
 */
public final class MatmulReference {
    private MatmulReference() {}

    public static void matmul(float[] a, int aOff, boolean transA, float[] b, int bOff, boolean transB,
                              float[] c, int cOff, int m, int k, int n, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    float bv = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
                    s += (double) av * bv;
                }
                int ci = cOff + i * n + j;
                c[ci] = accumulate ? (float) (c[ci] + s) : (float) s;
            }
        }
    }
}
