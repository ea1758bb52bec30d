package mediswift4j.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import mediswift4j.nn.Masks;
import mediswift4j.util.Rng;

/**
 * The tile-by-tile index copies of SparseLayout (its TiledIndex comment), rebuilt here naively from the mask: a copy
 * over `width` other indices has ceil(width / tile) tiles (at least one), and tile f of line r holds exactly the kept
 * entries of that line whose other index lies in [f tile, (f + 1) tile), in increasing order, one contiguous run
 * after the other (line 0 of tile 0 first). fwd: CSR rows over input columns in tiles of 128, pos = i IN + j; dx:
 * CSC columns over output rows in tiles of 128, same pos; dw: CSR in tiles of 64, pos = the entry's CSR position.
 * Widths at one below, at and one above a multiple of the tile, and 0.
 */
class TiledIndexTest {
    @Test
    void everyTileHoldsExactlyTheLinesKeptEntriesInItsRange() {
        int[][] shapes = {{260, 300}, {5, 64}, {3, 129}, {129, 63}, {2, 65}, {1, 1}, {0, 4}, {4, 0}, {128, 127}};
        for (int[] s : shapes) {
            int out = s[0], in = s[1];
            byte[] mask = Masks.random(out * 1000L + in, "tiles", out * in, 0.6);
            if (out > 2 && in > 2) for (int j = 0; j < in; j++) mask[in + j] = 0; // row 1 empty
            float[] w = SparseLinearKernelTest.uniform(new Rng(in), out * in);
            SparseLayout layout = SparseLayout.build(mask, out, in);
            layout.refreshValues(w);
            String shape = out + "x" + in;
            // CSR position of every kept (i, j)
            int[] csr = new int[out * in];
            for (int q = 0, p = 0; q < out * in; q++) csr[q] = mask[q] != 0 ? p++ : -1;

            check(layout.fwd, out, in, 128, (r, o) -> mask[r * in + o] != 0, (r, o) -> r * in + o, shape + " fwd");
            check(layout.dx, in, out, 128, (r, o) -> mask[o * in + r] != 0, (r, o) -> o * in + r, shape + " dx");
            check(layout.dw, out, in, 64, (r, o) -> mask[r * in + o] != 0, (r, o) -> csr[r * in + o], shape + " dw");
            for (SparseLayout.TiledIndex t : new SparseLayout.TiledIndex[] {layout.fwd, layout.dx}) {
                for (int q = 0; q < t.idx.length; q++) assertEquals(w[t.pos[q]], t.val[q], shape + " value " + q);
            }
        }
    }

    interface Kept {
        boolean test(int line, int other);
    }

    interface Pos {
        int of(int line, int other);
    }

    private static void check(SparseLayout.TiledIndex t, int lines, int width, int tile, Kept kept, Pos pos, String what) {
        int tiles = Math.max(1, (width + tile - 1) / tile);
        assertEquals(lines, t.lines, what + " lines");
        assertEquals(tiles, t.tiles, what + " tiles");
        int q = 0;
        for (int f = 0; f < tiles; f++) {
            for (int r = 0; r < lines; r++) {
                List<Integer> want = new ArrayList<>(), got = new ArrayList<>();
                for (int o = f * tile; o < Math.min(width, (f + 1) * tile); o++) if (kept.test(r, o)) want.add(o);
                assertEquals(q, t.start(r, f), what + " start of line " + r + " in tile " + f);
                for (int e = t.start(r, f); e < t.end(r, f); e++) {
                    got.add(t.idx[e]);
                    assertEquals(pos.of(r, t.idx[e]), t.pos[e], what + " pos of entry " + e);
                }
                assertEquals(want, got, what + " line " + r + " tile " + f);
                q += want.size();
            }
        }
        assertEquals(q, t.idx.length, what + " entries");
    }
}
