/// A vertex label of a NAS-Bench-101 cell. Raw values are the benchmark's own
/// spellings, so table rows and `String(describing:)` agree.
public enum NB101Op: String, CaseIterable, Sendable, Hashable {
    /// The cell input (always vertex 0).
    case input
    /// 3×3 convolution, batch norm, ReLU.
    case conv3x3 = "conv3x3-bn-relu"
    /// 1×1 convolution, batch norm, ReLU.
    case conv1x1 = "conv1x1-bn-relu"
    /// 3×3 max pooling, stride 1 (no parameters).
    case maxpool3x3
    /// The cell output (always the last vertex).
    case output

    /// The three operations an interior vertex may carry, in the benchmark's
    /// canonical order; the order fixes the integer labels of the fingerprint.
    public static let interior: [NB101Op] = [.conv3x3, .conv1x1, .maxpool3x3]

    /// Integer label used by the fingerprint: -1 input, -2 output, otherwise
    /// the index in `interior`.
    public var fingerprintLabel: Int {
        switch self {
        case .input: return -1
        case .output: return -2
        case .conv3x3: return 0
        case .conv1x1: return 1
        case .maxpool3x3: return 2
        }
    }
}
