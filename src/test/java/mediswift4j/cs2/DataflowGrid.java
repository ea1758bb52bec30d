package mediswift4j.cs2;

import java.util.ArrayDeque;

/**
 * A cycle-level toy of weight streaming on a wafer: a grid of processing elements (PEs) computes
 * Y (M, N) = X (M, K) W^T with W (N, K) masked, while W arrives in compressed form, one nonzero per packet.
 *
 * Layout (the activations stay put, the weights move, as on the CS-2 in weight-streaming mode):
 *   - the grid has R rows and P columns of PEs;
 *   - PE (r, c) holds the activation rows m with m % R == r (all K features) and the accumulators Y[m][n] for those
 *     rows and for the output features n with n % P == c;
 *   - column c is fed the rows n = c, c+P, c+2P, ... of W, each as its nonzeros in ascending k: a packet is
 *     (n, k, value). Masked weights are not in the stream at all.
 *
 * One clock cycle:
 *   1. every packet a PE received in the previous cycle moves one hop down its column (into the next PE's inbox);
 *   2. the top PE of each column receives the next packet of its stream, if any (one packet per column per cycle);
 *   3. every PE that is idle takes the oldest packet from its inbox; every PE holding a packet performs one
 *      multiply-add Y[m][n] += X[m][k] * value for the next of its rows m, and drops the packet after its last row.
 * The simulation ends when every stream is empty and every PE is idle; the cycle count is the number of cycles run.
 *
 * What the simulation shows:
 *   - exactness: each accumulator receives its products in ascending k, as in {@link MaskedGemmReference}, so the
 *     result is bit-identical to the dense masked product;
 *   - speed from sparsity: a PE is busy (rows it holds) cycles per packet and packets are nonzeros, so the cycle
 *     count is max over (c, r) of (r + packets(c) * rows(r)): it falls in proportion to the nonzeros when they are
 *     spread evenly over the columns, plus the R - 1 cycles the first packet needs to reach the bottom row.
 */
public final class DataflowGrid {
    private DataflowGrid() {}

    /** The product, the cycles it took, the multiply-adds done and the packets streamed. */
    public record Result(float[] y, long cycles, long multiplyAdds, long packets) {}

    /** One PE: its inbox, the packet it is working on and the packet it will forward next cycle. */
    private static final class Pe {
        final ArrayDeque<Integer> inbox = new ArrayDeque<>();
        int current = -1;          // packet being processed, or -1
        int nextRow = 0;           // index into this PE's activation rows for the current packet
        int outgoing = -1;         // packet received this cycle, forwarded down next cycle
    }

    public static Result run(float[] x, int m, int k, CompressedWeights w, int gridRows, int gridCols) {
        if (gridRows < 1 || gridCols < 1) throw new IllegalArgumentException("grid must be at least 1 x 1");
        if (m < 1) throw new IllegalArgumentException("X needs at least one row");
        // PE rows beyond M would hold no activations (rows are dealt m % R), so the stream never goes below row M-1.
        gridRows = Math.min(gridRows, m);
        if (x.length != m * k) throw new IllegalArgumentException("X must have " + m + " x " + k + " entries, has " + x.length);
        if (w.cols() != k) throw new IllegalArgumentException("W has " + w.cols() + " input features, X has " + k);
        int n = w.rows();
        float[] y = new float[m * n];

        // Packet p is the p-th stored nonzero; its output row is found once here.
        int[] packetRow = new int[w.nonzeros()];
        for (int j = 0; j < n; j++) for (int p = w.rowStart()[j]; p < w.rowStart()[j + 1]; p++) packetRow[p] = j;

        // Each column's stream: its W rows in order, each row's nonzeros in ascending k.
        int[][] stream = new int[gridCols][];
        for (int c = 0; c < gridCols; c++) {
            int len = 0;
            for (int j = c; j < n; j += gridCols) len += w.rowNonzeros(j);
            stream[c] = new int[len];
            int q = 0;
            for (int j = c; j < n; j += gridCols) for (int p = w.rowStart()[j]; p < w.rowStart()[j + 1]; p++) stream[c][q++] = p;
        }
        int[] streamPos = new int[gridCols];

        Pe[][] pe = new Pe[gridRows][gridCols];
        for (int r = 0; r < gridRows; r++) for (int c = 0; c < gridCols; c++) pe[r][c] = new Pe();
        int[] rowsOf = new int[gridRows];                      // number of activation rows PE row r holds
        for (int i = 0; i < m; i++) rowsOf[i % gridRows]++;

        long cycles = 0, multiplyAdds = 0;
        while (!finished(pe, stream, streamPos)) {
            for (int c = 0; c < gridCols; c++) {
                // 1. hops down the column, bottom first so a packet moves one PE per cycle.
                for (int r = gridRows - 1; r >= 1; r--) {
                    Pe above = pe[r - 1][c];
                    if (above.outgoing >= 0) receive(pe[r][c], above.outgoing, r == gridRows - 1);
                    above.outgoing = -1;
                }
                // 2. the stream feeds the top PE.
                if (streamPos[c] < stream[c].length) receive(pe[0][c], stream[c][streamPos[c]++], gridRows == 1);
                // 3. compute: one multiply-add per busy PE.
                for (int r = 0; r < gridRows; r++) {
                    Pe e = pe[r][c];
                    if (e.current < 0 && !e.inbox.isEmpty()) {
                        e.current = e.inbox.poll();
                        e.nextRow = 0;
                    }
                    if (e.current < 0) continue;
                    if (rowsOf[r] > 0) {
                        int mi = r + e.nextRow * gridRows;          // the activation row this PE handles now
                        int p = e.current;
                        int col = packetRow[p];
                        y[mi * n + col] += x[mi * k + w.index()[p]] * w.value()[p];
                        multiplyAdds++;
                        e.nextRow++;
                    }
                    if (e.nextRow >= rowsOf[r]) e.current = -1;
                }
            }
            cycles++;
        }
        return new Result(y, cycles, multiplyAdds, w.nonzeros());
    }

    /** A PE takes a packet into its inbox and (unless it is the bottom row) forwards it next cycle. */
    private static void receive(Pe e, int packet, boolean bottom) {
        e.inbox.add(packet);
        if (!bottom) e.outgoing = packet;
    }

    private static boolean finished(Pe[][] pe, int[][] stream, int[] streamPos) {
        for (int c = 0; c < stream.length; c++) if (streamPos[c] < stream[c].length) return false;
        for (Pe[] row : pe) for (Pe e : row) if (e.current >= 0 || !e.inbox.isEmpty() || e.outgoing >= 0) return false;
        return true;
    }

    /**
     * The cycle count the simulation must produce, in closed form: max over columns c with packets and PE rows r
     * holding activations of r + packets(c) * rows(r). Each packet arrives one cycle after the previous one and keeps
     * a PE busy rows(r) >= 1 cycles, so once the first packet reaches PE (r, c) at cycle r the PE never idles.
     */
    public static long expectedCycles(int m, CompressedWeights w, int gridRows, int gridCols) {
        long best = 0;
        for (int c = 0; c < gridCols; c++) {
            long packets = 0;
            for (int j = c; j < w.rows(); j += gridCols) packets += w.rowNonzeros(j);
            if (packets == 0) continue;
            for (int r = 0; r < gridRows; r++) {
                long rows = m / gridRows + (r < m % gridRows ? 1 : 0);
                if (rows > 0) best = Math.max(best, r + packets * rows);
            }
        }
        return best;
    }
}
