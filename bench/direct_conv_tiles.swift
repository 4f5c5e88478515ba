// Session 6 experiment, kept for reproduction: larger register tiles for the direct 3x3
// convolution, each bit-identical to the current one (same FMA chain per element), timed
// against it. Single thread, thread CPU time, best of 7 x 20 calls, one image, operands
// cache-resident. Result (docs/numerics.md, "Session 6"): no variant is faster, because the
// current tile already runs at the core's FMA peak (bench/direct_conv.swift prints it).
//   forward/dx mode 0: 7 or 8 pixels x 16 channels (the library's tile)
//              mode 1: 7 or 8 pixels x 32 channels where Cout allows (each broadcast feeds 2 FMAs)
//              mode 2: as 1, and for Cout = 16 two sets of 7 or 8 pixels (14-16 accumulators)
//   dw         mode 0: 8 input x 16 output channels (the library's tile)
//              mode 1: 8 x 32 where Cout allows; mode 2: 16 x 16 where Cin allows
// Run: swiftc -O -Xcc -march=x86-64-v4 bench/direct_conv_tiles.swift -o /tmp/direct_conv_tiles && /tmp/direct_conv_tiles
import Foundation
import Glibc

func now() -> Double { var t = timespec(); clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9 }
func buffer(_ n: Int) -> UnsafeMutablePointer<Float> {
    let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
    for i in 0..<n { p[i] = Float((i * 7919) % 13) * 0.1 - 0.6 }
    return p
}
@inline(__always) func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }
@inline(__always) func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self) }

@inline(__always)
func tile(_ src: UnsafePointer<Float>, rowStride: Int, cin: Int, w: UnsafePointer<Float>, cout: Int,
          out: UnsafeMutablePointer<Float>, eight: Bool) {
    var (a0, a1, a2, a3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    var (a4, a5, a6, a7) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    let (s1, s2, s3, s4, s5, s6, s7) = (cin, 2 &* cin, 3 &* cin, 4 &* cin, 5 &* cin, 6 &* cin, 7 &* cin)
    for kh in 0..<3 { for kw in 0..<3 {
        var p = src + (kh &* rowStride &+ kw &* cin)
        var wt = w + ((kh &* 3 &+ kw) &* cin &* cout)
        let end = p + cin
        while p < end {
            let wv = load16(wt)
            a0 = a0.addingProduct(SIMD16(repeating: p[0]), wv); a1 = a1.addingProduct(SIMD16(repeating: p[s1]), wv)
            a2 = a2.addingProduct(SIMD16(repeating: p[s2]), wv); a3 = a3.addingProduct(SIMD16(repeating: p[s3]), wv)
            a4 = a4.addingProduct(SIMD16(repeating: p[s4]), wv); a5 = a5.addingProduct(SIMD16(repeating: p[s5]), wv)
            a6 = a6.addingProduct(SIMD16(repeating: p[s6]), wv)
            if eight { a7 = a7.addingProduct(SIMD16(repeating: p[s7]), wv) }
            p += 1; wt += cout
        }
    }}
    store16(a0, out); store16(a1, out + cout); store16(a2, out + 2 &* cout); store16(a3, out + 3 &* cout)
    store16(a4, out + 4 &* cout); store16(a5, out + 5 &* cout); store16(a6, out + 6 &* cout)
    if eight { store16(a7, out + 7 &* cout) }
}

// 7/8 pixels x 32 channels
@inline(__always)
func tile2(_ src: UnsafePointer<Float>, rowStride: Int, cin: Int, w: UnsafePointer<Float>, cout: Int,
          out: UnsafeMutablePointer<Float>, eight: Bool) {
    var (a0, a1, a2, a3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    var (a4, a5, a6, a7) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    var (b0, b1, b2, b3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    var (b4, b5, b6, b7) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    let (s1, s2, s3, s4, s5, s6, s7) = (cin, 2 &* cin, 3 &* cin, 4 &* cin, 5 &* cin, 6 &* cin, 7 &* cin)
    for kh in 0..<3 { for kw in 0..<3 {
        var p = src + (kh &* rowStride &+ kw &* cin)
        var wt = w + ((kh &* 3 &+ kw) &* cin &* cout)
        let end = p + cin
        while p < end {
            let wv = load16(wt), wu = load16(wt + 16)
            var x = SIMD16<Float>(repeating: p[0]); a0 = a0.addingProduct(x, wv); b0 = b0.addingProduct(x, wu)
            x = SIMD16<Float>(repeating: p[s1]); a1 = a1.addingProduct(x, wv); b1 = b1.addingProduct(x, wu)
            x = SIMD16<Float>(repeating: p[s2]); a2 = a2.addingProduct(x, wv); b2 = b2.addingProduct(x, wu)
            x = SIMD16<Float>(repeating: p[s3]); a3 = a3.addingProduct(x, wv); b3 = b3.addingProduct(x, wu)
            x = SIMD16<Float>(repeating: p[s4]); a4 = a4.addingProduct(x, wv); b4 = b4.addingProduct(x, wu)
            x = SIMD16<Float>(repeating: p[s5]); a5 = a5.addingProduct(x, wv); b5 = b5.addingProduct(x, wu)
            x = SIMD16<Float>(repeating: p[s6]); a6 = a6.addingProduct(x, wv); b6 = b6.addingProduct(x, wu)
            if eight { x = SIMD16<Float>(repeating: p[s7]); a7 = a7.addingProduct(x, wv); b7 = b7.addingProduct(x, wu) }
            p += 1; wt += cout
        }
    }}
    let o = out + 16
    store16(a0, out); store16(a1, out + cout); store16(a2, out + 2 &* cout); store16(a3, out + 3 &* cout)
    store16(a4, out + 4 &* cout); store16(a5, out + 5 &* cout); store16(a6, out + 6 &* cout)
    if eight { store16(a7, out + 7 &* cout) }
    store16(b0, o); store16(b1, o + cout); store16(b2, o + 2 &* cout); store16(b3, o + 3 &* cout)
    store16(b4, o + 4 &* cout); store16(b5, o + 5 &* cout); store16(b6, o + 6 &* cout)
    if eight { store16(b7, o + 7 &* cout) }
}

// two sets of 7/8 pixels (src/srcB, out/outB) x 16 channels
@inline(__always)
func tileP2(_ src: UnsafePointer<Float>, _ srcB: UnsafePointer<Float>, rowStride: Int, cin: Int, w: UnsafePointer<Float>, cout: Int,
          out: UnsafeMutablePointer<Float>, _ outB: UnsafeMutablePointer<Float>, eight: Bool) {
    var (a0, a1, a2, a3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    var (a4, a5, a6, a7) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    var (b0, b1, b2, b3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    var (b4, b5, b6, b7) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    let (s1, s2, s3, s4, s5, s6, s7) = (cin, 2 &* cin, 3 &* cin, 4 &* cin, 5 &* cin, 6 &* cin, 7 &* cin)
    for kh in 0..<3 { for kw in 0..<3 {
        let off = kh &* rowStride &+ kw &* cin
        var p = src + off
        var q = srcB + off
        var wt = w + ((kh &* 3 &+ kw) &* cin &* cout)
        let end = p + cin
        while p < end {
            let wv = load16(wt)
            a0 = a0.addingProduct(SIMD16(repeating: p[0]), wv); a1 = a1.addingProduct(SIMD16(repeating: p[s1]), wv)
            a2 = a2.addingProduct(SIMD16(repeating: p[s2]), wv); a3 = a3.addingProduct(SIMD16(repeating: p[s3]), wv)
            a4 = a4.addingProduct(SIMD16(repeating: p[s4]), wv); a5 = a5.addingProduct(SIMD16(repeating: p[s5]), wv)
            a6 = a6.addingProduct(SIMD16(repeating: p[s6]), wv)
            if eight { a7 = a7.addingProduct(SIMD16(repeating: p[s7]), wv) }
            b0 = b0.addingProduct(SIMD16(repeating: q[0]), wv); b1 = b1.addingProduct(SIMD16(repeating: q[s1]), wv)
            b2 = b2.addingProduct(SIMD16(repeating: q[s2]), wv); b3 = b3.addingProduct(SIMD16(repeating: q[s3]), wv)
            b4 = b4.addingProduct(SIMD16(repeating: q[s4]), wv); b5 = b5.addingProduct(SIMD16(repeating: q[s5]), wv)
            b6 = b6.addingProduct(SIMD16(repeating: q[s6]), wv)
            if eight { b7 = b7.addingProduct(SIMD16(repeating: q[s7]), wv) }
            p += 1; q += 1; wt += cout
        }
    }}
    store16(a0, out); store16(a1, out + cout); store16(a2, out + 2 &* cout); store16(a3, out + 3 &* cout)
    store16(a4, out + 4 &* cout); store16(a5, out + 5 &* cout); store16(a6, out + 6 &* cout)
    if eight { store16(a7, out + 7 &* cout) }
    let o = outB
    store16(b0, o); store16(b1, o + cout); store16(b2, o + 2 &* cout); store16(b3, o + 3 &* cout)
    store16(b4, o + 4 &* cout); store16(b5, o + 5 &* cout); store16(b6, o + 6 &* cout)
    if eight { store16(b7, o + 7 &* cout) }
}

func pad(_ x: UnsafePointer<Float>, hw: Int, cin: Int, into p: UnsafeMutablePointer<Float>) {
    let rs = (hw + 2) * cin
    for r in 0..<hw { (p + (r + 1) * rs + cin).update(from: x + r * hw * cin, count: hw * cin) }
}

// mode 0: current; 1: 32-channel groups where possible; 2: pixel pairs for 16-lane groups (plus 32-ch groups)
func directForward(_ x: UnsafePointer<Float>, hw: Int, cin: Int, w: UnsafePointer<Float>, cout: Int,
                   y: UnsafeMutablePointer<Float>, padded: UnsafeMutablePointer<Float>, mode: Int) {
    pad(x, hw: hw, cin: cin, into: padded)
    let rs = (hw + 2) * cin, t = hw % 8 == 0 ? 8 : 7
    if mode == 2 && cout == 16 {
        // pairs of tiles: along the row if the row has an even number of tiles, else rows pairs
        let tilesPerRow = hw / t
        if tilesPerRow % 2 == 0 {
            for oh in 0..<hw { var ow = 0; while ow < hw {
                let s = UnsafePointer(padded + oh * rs + ow * cin), o = y + (oh * hw + ow) * cout
                if t == 8 { tileP2(s, s + 8 * cin, rowStride: rs, cin: cin, w: w, cout: cout, out: o, o + 8 * cout, eight: true) }
                else { tileP2(s, s + 7 * cin, rowStride: rs, cin: cin, w: w, cout: cout, out: o, o + 7 * cout, eight: false) }
                ow += 2 * t } }
        } else {
            var oh = 0
            while oh + 1 < hw { var ow = 0; while ow < hw {
                let s = UnsafePointer(padded + oh * rs + ow * cin), o = y + (oh * hw + ow) * cout
                tileP2(s, s + rs, rowStride: rs, cin: cin, w: w, cout: cout, out: o, o + hw * cout, eight: t == 8)
                ow += t }; oh += 2 }
            if oh < hw { var ow = 0; while ow < hw {
                let s = UnsafePointer(padded + oh * rs + ow * cin), o = y + (oh * hw + ow) * cout
                tile(s, rowStride: rs, cin: cin, w: w, cout: cout, out: o, eight: t == 8); ow += t } }
        }
        return
    }
    for oh in 0..<hw { var ow = 0; while ow < hw { var co = 0
        let (s, o) = (UnsafePointer(padded + oh * rs + ow * cin), y + (oh * hw + ow) * cout)
        if mode >= 1 {
            while co + 32 <= cout {
                if t == 8 { tile2(s, rowStride: rs, cin: cin, w: w + co, cout: cout, out: o + co, eight: true) }
                else { tile2(s, rowStride: rs, cin: cin, w: w + co, cout: cout, out: o + co, eight: false) }
                co += 32
            }
        }
        while co < cout {
            if t == 8 { tile(s, rowStride: rs, cin: cin, w: w + co, cout: cout, out: o + co, eight: true) }
            else { tile(s, rowStride: rs, cin: cin, w: w + co, cout: cout, out: o + co, eight: false) }
            co += 16 }; ow += t } }
}

// dw: mode 0 current (8ci x 16co); 1: 8ci x 32co when possible; 2: 16ci x 16co
func directWeight(_ x: UnsafePointer<Float>, dy: UnsafePointer<Float>, hw: Int, cin: Int, cout: Int,
                  dw: UnsafeMutablePointer<Float>, padded: UnsafeMutablePointer<Float>, mode: Int) {
    pad(x, hw: hw, cin: cin, into: padded)
    let rs = (hw + 2) * cin
    for k in 0..<9 {
      if mode == 2 && cin % 16 == 0 {
        var ci0 = 0; while ci0 < cin { var co0 = 0; while co0 < cout {
        let src = UnsafePointer(padded + (k / 3) * rs + (k % 3) * cin + ci0), out = dw + (k * cin + ci0) * cout + co0
        var (a0, a1, a2, a3) = (load16(out), load16(out + cout), load16(out + 2 * cout), load16(out + 3 * cout))
        var (a4, a5, a6, a7) = (load16(out + 4 * cout), load16(out + 5 * cout), load16(out + 6 * cout), load16(out + 7 * cout))
        let o = out + 8 * cout
        var (b0, b1, b2, b3) = (load16(o), load16(o + cout), load16(o + 2 * cout), load16(o + 3 * cout))
        var (b4, b5, b6, b7) = (load16(o + 4 * cout), load16(o + 5 * cout), load16(o + 6 * cout), load16(o + 7 * cout))
        var d = dy + co0
        for oh in 0..<hw {
            var p = src + oh &* rs
            let end = p + hw &* cin
            while p < end {
                let v = load16(d)
                a0 = a0.addingProduct(SIMD16(repeating: p[0]), v); a1 = a1.addingProduct(SIMD16(repeating: p[1]), v)
                a2 = a2.addingProduct(SIMD16(repeating: p[2]), v); a3 = a3.addingProduct(SIMD16(repeating: p[3]), v)
                a4 = a4.addingProduct(SIMD16(repeating: p[4]), v); a5 = a5.addingProduct(SIMD16(repeating: p[5]), v)
                a6 = a6.addingProduct(SIMD16(repeating: p[6]), v); a7 = a7.addingProduct(SIMD16(repeating: p[7]), v)
                b0 = b0.addingProduct(SIMD16(repeating: p[8]), v); b1 = b1.addingProduct(SIMD16(repeating: p[9]), v)
                b2 = b2.addingProduct(SIMD16(repeating: p[10]), v); b3 = b3.addingProduct(SIMD16(repeating: p[11]), v)
                b4 = b4.addingProduct(SIMD16(repeating: p[12]), v); b5 = b5.addingProduct(SIMD16(repeating: p[13]), v)
                b6 = b6.addingProduct(SIMD16(repeating: p[14]), v); b7 = b7.addingProduct(SIMD16(repeating: p[15]), v)
                p += cin; d += cout
            }
        }
        store16(a0, out); store16(a1, out + cout); store16(a2, out + 2 * cout); store16(a3, out + 3 * cout)
        store16(a4, out + 4 * cout); store16(a5, out + 5 * cout); store16(a6, out + 6 * cout); store16(a7, out + 7 * cout)
        store16(b0, o); store16(b1, o + cout); store16(b2, o + 2 * cout); store16(b3, o + 3 * cout)
        store16(b4, o + 4 * cout); store16(b5, o + 5 * cout); store16(b6, o + 6 * cout); store16(b7, o + 7 * cout)
        co0 += 16 }; ci0 += 16 }
        continue
      }
      var ci0 = 0; while ci0 < cin { var co0 = 0
        if mode == 1 { while co0 + 32 <= cout {
        let src = UnsafePointer(padded + (k / 3) * rs + (k % 3) * cin + ci0), out = dw + (k * cin + ci0) * cout + co0
        var (a0, a1, a2, a3) = (load16(out), load16(out + cout), load16(out + 2 * cout), load16(out + 3 * cout))
        var (a4, a5, a6, a7) = (load16(out + 4 * cout), load16(out + 5 * cout), load16(out + 6 * cout), load16(out + 7 * cout))
        let o = out + 16
        var (b0, b1, b2, b3) = (load16(o), load16(o + cout), load16(o + 2 * cout), load16(o + 3 * cout))
        var (b4, b5, b6, b7) = (load16(o + 4 * cout), load16(o + 5 * cout), load16(o + 6 * cout), load16(o + 7 * cout))
        var d = dy + co0
        for oh in 0..<hw {
            var p = src + oh &* rs
            let end = p + hw &* cin
            while p < end {
                let v = load16(d), u = load16(d + 16)
                var s = SIMD16<Float>(repeating: p[0]); a0 = a0.addingProduct(s, v); b0 = b0.addingProduct(s, u)
                s = SIMD16<Float>(repeating: p[1]); a1 = a1.addingProduct(s, v); b1 = b1.addingProduct(s, u)
                s = SIMD16<Float>(repeating: p[2]); a2 = a2.addingProduct(s, v); b2 = b2.addingProduct(s, u)
                s = SIMD16<Float>(repeating: p[3]); a3 = a3.addingProduct(s, v); b3 = b3.addingProduct(s, u)
                s = SIMD16<Float>(repeating: p[4]); a4 = a4.addingProduct(s, v); b4 = b4.addingProduct(s, u)
                s = SIMD16<Float>(repeating: p[5]); a5 = a5.addingProduct(s, v); b5 = b5.addingProduct(s, u)
                s = SIMD16<Float>(repeating: p[6]); a6 = a6.addingProduct(s, v); b6 = b6.addingProduct(s, u)
                s = SIMD16<Float>(repeating: p[7]); a7 = a7.addingProduct(s, v); b7 = b7.addingProduct(s, u)
                p += cin; d += cout
            }
        }
        store16(a0, out); store16(a1, out + cout); store16(a2, out + 2 * cout); store16(a3, out + 3 * cout)
        store16(a4, out + 4 * cout); store16(a5, out + 5 * cout); store16(a6, out + 6 * cout); store16(a7, out + 7 * cout)
        store16(b0, o); store16(b1, o + cout); store16(b2, o + 2 * cout); store16(b3, o + 3 * cout)
        store16(b4, o + 4 * cout); store16(b5, o + 5 * cout); store16(b6, o + 6 * cout); store16(b7, o + 7 * cout)
        co0 += 32 } }
        while co0 < cout {
        let src = UnsafePointer(padded + (k / 3) * rs + (k % 3) * cin + ci0), out = dw + (k * cin + ci0) * cout + co0
        var (a0, a1, a2, a3) = (load16(out), load16(out + cout), load16(out + 2 * cout), load16(out + 3 * cout))
        var (a4, a5, a6, a7) = (load16(out + 4 * cout), load16(out + 5 * cout), load16(out + 6 * cout), load16(out + 7 * cout))
        var d = dy + co0
        for oh in 0..<hw {
            var p = src + oh &* rs
            let end = p + hw &* cin
            while p < end {
                let v = load16(d)
                a0 = a0.addingProduct(SIMD16(repeating: p[0]), v); a1 = a1.addingProduct(SIMD16(repeating: p[1]), v)
                a2 = a2.addingProduct(SIMD16(repeating: p[2]), v); a3 = a3.addingProduct(SIMD16(repeating: p[3]), v)
                a4 = a4.addingProduct(SIMD16(repeating: p[4]), v); a5 = a5.addingProduct(SIMD16(repeating: p[5]), v)
                a6 = a6.addingProduct(SIMD16(repeating: p[6]), v); a7 = a7.addingProduct(SIMD16(repeating: p[7]), v)
                p += cin; d += cout
            }
        }
        store16(a0, out); store16(a1, out + cout); store16(a2, out + 2 * cout); store16(a3, out + 3 * cout)
        store16(a4, out + 4 * cout); store16(a5, out + 5 * cout); store16(a6, out + 6 * cout); store16(a7, out + 7 * cout)
        co0 += 16 }; ci0 += 8 } }
}

func bench(_ body: () -> Void) -> Double {
    body()
    var best = 1e9
    for _ in 0..<7 { let t0 = now(); for _ in 0..<20 { body() }; best = min(best, (now() - t0) / 20) }
    return best
}
let shapes = [(28, 16, 48), (28, 16, 32), (28, 16, 16), (28, 48, 16), (28, 32, 16), (14, 32, 96), (14, 32, 64), (14, 32, 32), (14, 96, 32), (7, 64, 192), (7, 64, 64), (7, 192, 64), (32, 16, 16), (16, 32, 32), (8, 64, 64)]
print("per image ms (GFLOP/s): fwd m0 m1 m2 | dw m0 m1 m2; bits equal?")
for (hw, cin, cout) in shapes {
    let x = buffer(hw * hw * cin), w = buffer(9 * cin * cout), y = buffer(hw * hw * cout), dy = buffer(hw * hw * cout)
    let padded = buffer((hw + 2) * (hw + 2) * cin), dw = buffer(9 * cin * cout)
    padded.update(repeating: 0, count: (hw + 2) * (hw + 2) * cin)
    let flops = 2.0 * Double(hw * hw * 9 * cin * cout)
    func show(_ t: Double) -> String { String(format: "%.4f (%3.0f)", t * 1e3, flops / t / 1e9) }
    var line = "\(hw)x\(hw) \(cin)->\(cout): fwd"
    var ref = [Float]()
    var same = true
    for m in 0..<3 {
        let t = bench { directForward(x, hw: hw, cin: cin, w: w, cout: cout, y: y, padded: padded, mode: m) }
        line += " " + show(t)
        let out = Array(UnsafeBufferPointer(start: y, count: hw * hw * cout))
        if m == 0 { ref = out } else if out != ref { same = false }
    }
    line += " | dw"
    var refw = [Float]()
    for m in 0..<3 {
        let t = bench { directWeight(x, dy: dy, hw: hw, cin: cin, cout: cout, dw: dw, padded: padded, mode: m) }
        line += " " + show(t)
        dw.update(repeating: 0, count: 9 * cin * cout)
        directWeight(x, dy: dy, hw: hw, cin: cin, cout: cout, dw: dw, padded: padded, mode: m)
        let out = Array(UnsafeBufferPointer(start: dw, count: 9 * cin * cout))
        if m == 0 { refw = out } else if out != refw { same = false }
    }
    print(line + " same=\(same)")
}
