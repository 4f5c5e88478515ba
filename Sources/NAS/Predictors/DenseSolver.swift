/// Small dense linear algebra in Double for the ridge predictor. NAS does not
/// link BLAS directly and the systems here are at most a few hundred to a
/// thousand unknowns, where a plain O(n³) Cholesky takes well under a second.

/// Solves `a · x = b` for a symmetric positive definite `a` (n×n, row-major)
/// by Cholesky factorisation a = L·Lᵀ, then forward and back substitution.
/// Returns nil when `a` is not numerically positive definite (a pivot ≤ 0),
/// which lets the caller raise the ridge penalty instead of dividing by zero.
func choleskySolve(_ a: [Double], n: Int, _ b: [Double]) -> [Double]? {
    precondition(a.count == n * n && b.count == n, "choleskySolve: shape mismatch")
    var l = a  // lower triangle becomes L, upper is ignored
    for j in 0..<n {
        var pivot = l[j * n + j]
        for k in 0..<j { pivot -= l[j * n + k] * l[j * n + k] }
        guard pivot > 0, pivot.isFinite else { return nil }
        let diagonal = pivot.squareRoot()
        l[j * n + j] = diagonal
        l.withUnsafeMutableBufferPointer { m in
            for i in (j + 1)..<n {
                var sum = m[i * n + j]
                for k in 0..<j { sum -= m[i * n + k] * m[j * n + k] }
                m[i * n + j] = sum / diagonal
            }
        }
    }
    // L y = b
    var y = b
    for i in 0..<n {
        var sum = y[i]
        for k in 0..<i { sum -= l[i * n + k] * y[k] }
        y[i] = sum / l[i * n + i]
    }
    // Lᵀ x = y
    var x = y
    for i in stride(from: n - 1, through: 0, by: -1) {
        var sum = x[i]
        for k in (i + 1)..<max(i + 1, n) { sum -= l[k * n + i] * x[k] }
        x[i] = sum / l[i * n + i]
    }
    return x
}

/// Reference for tests: Gaussian elimination with partial pivoting on any
/// non-singular `a`; nil when a pivot is exactly zero.
func gaussianSolveReference(_ a: [Double], n: Int, _ b: [Double]) -> [Double]? {
    var m = a, x = b
    for col in 0..<n {
        let pivotRow = (col..<n).max { abs(m[$0 * n + col]) < abs(m[$1 * n + col]) }!
        guard m[pivotRow * n + col] != 0 else { return nil }
        if pivotRow != col {
            for k in 0..<n { m.swapAt(col * n + k, pivotRow * n + k) }
            x.swapAt(col, pivotRow)
        }
        for row in (col + 1)..<max(col + 1, n) {
            let factor = m[row * n + col] / m[col * n + col]
            for k in col..<n { m[row * n + k] -= factor * m[col * n + k] }
            x[row] -= factor * x[col]
        }
    }
    for row in stride(from: n - 1, through: 0, by: -1) {
        var sum = x[row]
        for k in (row + 1)..<max(row + 1, n) { sum -= m[row * n + k] * x[k] }
        x[row] = sum / m[row * n + row]
    }
    return x
}

/// Gram matrix XᵀX (d×d) of a row-major n×d matrix, symmetric, both triangles filled.
func gramOfColumns(_ x: FeatureMatrix) -> [Double] {
    let n = x.rows, d = x.columns
    var g = [Double](repeating: 0, count: d * d)
    x.values.withUnsafeBufferPointer { v in
        g.withUnsafeMutableBufferPointer { out in
            for r in 0..<n {
                let row = v.baseAddress! + r * d
                for i in 0..<d where row[i] != 0 {
                    let xi = row[i]
                    for j in i..<d { out[i * d + j] += xi * row[j] }
                }
            }
            for i in 0..<d { for j in 0..<i { out[i * d + j] = out[j * d + i] } }
        }
    }
    return g
}

/// Gram matrix XXᵀ (n×n) of the rows of a row-major n×d matrix.
func gramOfRows(_ x: FeatureMatrix) -> [Double] {
    let n = x.rows, d = x.columns
    var g = [Double](repeating: 0, count: n * n)
    x.values.withUnsafeBufferPointer { v in
        for i in 0..<n {
            for j in i..<n {
                var sum = 0.0
                for k in 0..<d { sum += v[i * d + k] * v[j * d + k] }
                g[i * n + j] = sum
                g[j * n + i] = sum
            }
        }
    }
    return g
}
