package io.github.dl4jcinn.layers.blocks;

import java.util.Random;

/**
 * Seeded fixed matrices and permutations. They are derived from (seed, size) on every load instead of being stored,
 * so saved models stay small and a model file can never hold a matrix that disagrees with its configuration.
 * {@link java.util.Random} is specified bit-for-bit by the JDK, so the same seed gives the same matrix everywhere.
 */
public final class FixedMatrices {
    private FixedMatrices() {}

    /** A random orthogonal n x n matrix: modified Gram-Schmidt on a Gaussian matrix, in double precision. */
    public static double[][] orthogonal(int n, long seed) {
        Random rnd = new Random(seed);
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                q[i][j] = rnd.nextGaussian();
            }
        }
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < i; k++) {
                double dot = 0;
                for (int j = 0; j < n; j++) dot += q[i][j] * q[k][j];
                for (int j = 0; j < n; j++) q[i][j] -= dot * q[k][j];
            }
            double norm = 0;
            for (int j = 0; j < n; j++) norm += q[i][j] * q[i][j];
            norm = Math.sqrt(norm);
            for (int j = 0; j < n; j++) q[i][j] /= norm;
        }
        return q;
    }

    /** log|det A| by LU decomposition with partial pivoting. */
    public static double logAbsDet(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) m[i] = a[i].clone();
        double logDet = 0;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
            }
            double[] tmp = m[col]; m[col] = m[pivot]; m[pivot] = tmp;
            double d = m[col][col];
            if (d == 0) return Double.NEGATIVE_INFINITY;
            logDet += Math.log(Math.abs(d));
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / d;
                for (int c = col; c < n; c++) m[r][c] -= f * m[col][c];
            }
        }
        return logDet;
    }

    /** A random permutation of 0..n-1 (Fisher-Yates). */
    public static int[] permutation(int n, long seed) {
        Random rnd = new Random(seed);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i]; p[i] = p[j]; p[j] = t;
        }
        return p;
    }

    public static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) inv[perm[i]] = i;
        return inv;
    }
}
