import XCTest
@testable import Numerics

/// The OpenBLAS kernel selection (`BLASKernelSelection`): the rule on fixed flag sets, and that on
/// this machine the kernels in use are the ones the rule asks for (whatever `OPENBLAS_CORETYPE`
/// says) and compute correct GEMMs (vs a Double-accumulated reference, tolerance 1e-5 of the sum
/// of absolute terms).
final class BLASKernelSelectionTests: XCTestCase {
    let avx2: Set<String> = ["sse2", "avx", "avx2", "fma"]

    func testRuleDependsOnCPUFlagsOnly() {
        let avx512 = avx2.union(BLASKernelSelection.avx512Flags)
        XCTAssertEqual(BLASKernelSelection.targetCore(cpuFlags: avx512)?.coreType, "SKYLAKEX")
        XCTAssertEqual(BLASKernelSelection.targetCore(cpuFlags: avx2)?.coreType, "HASWELL")
        // Missing any AVX-512 subset the kernels use: the AVX2 kernels.
        for missing in BLASKernelSelection.avx512Flags {
            XCTAssertEqual(BLASKernelSelection.targetCore(cpuFlags: avx512.subtracting([missing]))?.coreType, "HASWELL",
                           "without \(missing)")
        }
        // No AVX2/FMA: OpenBLAS's own choice.
        XCTAssertNil(BLASKernelSelection.targetCore(cpuFlags: ["sse2", "avx"]))
        XCTAssertNil(BLASKernelSelection.targetCore(cpuFlags: []))
    }

    func testKernelsInUseFollowTheRuleAndAreCorrect() {
        _ = ComputeContext(threads: 1)
        let flags = BLASKernelSelection.cpuFlags()
        XCTAssertTrue(flags.contains("sse2"), "/proc/cpuinfo flags unreadable: \(flags)")
        let core = BLASThreads.coreName
        XCTAssertEqual(core, BLASKernelSelection.currentCoreName())
        if let target = BLASKernelSelection.targetCore(cpuFlags: flags) {
            XCTAssertEqual(core.lowercased(), target.name.lowercased())
        }
        // The kernels in use compute correct products (shapes like the convolution GEMMs).
        let a = TestSupport.random([200, 36], seed: 1), b = TestSupport.random([36, 16], seed: 2)
        let c = matmul(a, b)
        for i in 0..<200 {
            for j in 0..<16 {
                var sum = 0.0, scale = 0.0
                for k in 0..<36 {
                    let term = Double(a.storage[i * 36 + k]) * Double(b.storage[k * 16 + j])
                    sum += term; scale += abs(term)
                }
                XCTAssertEqual(Double(c.storage[i * 16 + j]), sum, accuracy: 1e-5 * scale + 1e-7, "c[\(i), \(j)] with \(core)")
            }
        }
    }
}
