//! Dense linear algebra for the Markov solve: Gauss–Jordan inversion with partial pivoting.

/// Inverts the row-major `n × n` matrix `a` (destroyed); `None` when it is singular.
pub(crate) fn invert(a: &mut [f64], n: usize) -> Option<Vec<f64>> {
    let mut inv = vec![0.0; n * n];
    for i in 0..n {
        inv[i * n + i] = 1.0;
    }
    for col in 0..n {
        let pivot = (col..n).max_by(|&x, &y| a[x * n + col].abs().total_cmp(&a[y * n + col].abs()))?;
        let p = a[pivot * n + col];
        if p == 0.0 || !p.is_finite() {
            return None;
        }
        if pivot != col {
            for j in 0..n {
                a.swap(pivot * n + j, col * n + j);
                inv.swap(pivot * n + j, col * n + j);
            }
        }
        let r = 1.0 / p;
        for j in 0..n {
            a[col * n + j] *= r;
            inv[col * n + j] *= r;
        }
        for row in 0..n {
            if row == col {
                continue;
            }
            let f = a[row * n + col];
            if f == 0.0 {
                continue;
            }
            for j in 0..n {
                a[row * n + j] -= f * a[col * n + j];
                inv[row * n + j] -= f * inv[col * n + j];
            }
        }
    }
    Some(inv)
}

/// `A·x`.
pub(crate) fn mat_vec(a: &[f64], x: &[f64], n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| a[i * n..(i + 1) * n].iter().zip(x).map(|(p, q)| p * q).sum())
        .collect()
}

/// `xᵀ·A`.
pub(crate) fn vec_mat(x: &[f64], a: &[f64], n: usize) -> Vec<f64> {
    let mut out = vec![0.0; n];
    for (i, &xi) in x.iter().enumerate() {
        if xi != 0.0 {
            for (o, v) in out.iter_mut().zip(&a[i * n..(i + 1) * n]) {
                *o += xi * v;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn inverts_and_detects_singular() {
        let mut a = vec![2.0, 1.0, 1.0, 3.0];
        let inv = super::invert(&mut a, 2).unwrap();
        let want = [0.6, -0.2, -0.2, 0.4];
        for (x, y) in inv.iter().zip(want) {
            assert!((x - y).abs() < 1e-15);
        }
        assert!(super::invert(&mut [1.0, 2.0, 2.0, 4.0], 2).is_none());
    }
}
