import Foundation

/// A small, dependency-free line/scatter plot rendered as a standalone SVG
/// document, for ops to put in `OpResult.figures` (e.g. Kendall τ against training
/// size, best-so-far accuracy against search step).
///
/// Output is deterministic (fixed number formatting, no timestamps or random ids),
/// so a figure never changes an output digest unless its data changed. Non-finite
/// points are skipped. All text is XML-escaped.
public struct SVGPlot: Sendable {
    /// How a series is drawn.
    public enum Style: Sendable {
        /// A polyline through the points.
        case line
        /// Markers only.
        case scatter
        /// A polyline with a marker on each point.
        case lineAndMarkers
    }
    /// Axis scale; `log` ignores non-positive values.
    public enum Scale: Sendable {
        /// Evenly spaced values.
        case linear
        /// Base-10 logarithmic (for training-set sizes and the like).
        case log
    }

    /// One named data series.
    public struct Series: Sendable {
        /// Legend label.
        public var name: String
        /// X values.
        public var x: [Double]
        /// Y values (same count as `x`; extra values on either side are ignored).
        public var y: [Double]
        /// Optional half-widths of vertical error bars, one per point.
        public var yError: [Double]?
        /// Drawing style.
        public var style: Style

        /// A series.
        public init(name: String, x: [Double], y: [Double], yError: [Double]? = nil, style: Style = .lineAndMarkers) {
            self.name = name
            self.x = x
            self.y = y
            self.yError = yError
            self.style = style
        }
    }

    /// Title above the plot (empty: none).
    public var title: String
    /// X-axis label.
    public var xLabel: String
    /// Y-axis label.
    public var yLabel: String
    /// The series, drawn in order with a fixed colour cycle.
    public var series: [Series]
    /// X-axis scale.
    public var xScale: Scale
    /// Overall size in pixels.
    public var width: Double, height: Double

    /// A plot.
    public init(title: String = "", xLabel: String = "", yLabel: String = "", series: [Series] = [],
                xScale: Scale = .linear, width: Double = 640, height: Double = 400) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.xScale = xScale
        self.width = width
        self.height = height
    }

    /// Colour-blind-friendly cycle (Okabe–Ito).
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

    /// The SVG document.
    public func render() -> String {
        let left = 64.0, right = 16.0, top = title.isEmpty ? 16.0 : 36.0, bottom = 52.0
        let plotW = max(width - left - right, 10), plotH = max(height - top - bottom, 10)
        let points = series.map { s in
            zip(s.x, s.y).enumerated().compactMap { i, p -> (x: Double, y: Double, e: Double)? in
                let e = s.yError.flatMap { i < $0.count ? $0[i] : nil } ?? 0
                guard p.0.isFinite, p.1.isFinite, !(xScale == .log && p.0 <= 0) else { return nil }
                return (xScale == .log ? log10(p.0) : p.0, p.1, e.isFinite ? abs(e) : 0)
            }
        }
        let all = points.flatMap { $0 }
        let xr = Ticks.range(all.map(\.x))
        let yr = Ticks.range(all.flatMap { [$0.y - $0.e, $0.y + $0.e] })
        let xTicks = xScale == .log ? Ticks.decades(xr) : Ticks.nice(xr)
        let yTicks = Ticks.nice(yr)
        // Axes span the ticks plus a 2 % margin so markers on the extremes are not cut by the frame.
        var x0 = min(xr.lowerBound, xTicks.first ?? xr.lowerBound), x1 = max(xr.upperBound, xTicks.last ?? xr.upperBound)
        var y0 = min(yr.lowerBound, yTicks.first ?? yr.lowerBound), y1 = max(yr.upperBound, yTicks.last ?? yr.upperBound)
        (x0, x1) = (x0 - 0.02 * (x1 - x0), x1 + 0.02 * (x1 - x0))
        (y0, y1) = (y0 - 0.02 * (y1 - y0), y1 + 0.02 * (y1 - y0))
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * plotW }
        func py(_ y: Double) -> Double { top + plotH - (y - y0) / (y1 - y0) * plotH }

        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" "
            + "viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect x=\"0\" y=\"0\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"white\"/>\n"
        if !title.isEmpty {
            s += "<text x=\"\(f(width / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">\(HTML.escape(title))</text>\n"
        }
        // Grid, ticks and tick labels.
        s += "<g stroke=\"#e5e5e5\" stroke-width=\"1\">\n"
        for t in xTicks { s += "<line x1=\"\(f(px(t)))\" y1=\"\(f(top))\" x2=\"\(f(px(t)))\" y2=\"\(f(top + plotH))\"/>\n" }
        for t in yTicks { s += "<line x1=\"\(f(left))\" y1=\"\(f(py(t)))\" x2=\"\(f(left + plotW))\" y2=\"\(f(py(t)))\"/>\n" }
        s += "</g>\n<g fill=\"#333\">\n"
        for t in xTicks {
            let label = xScale == .log ? Ticks.label(pow(10, t)) : Ticks.label(t)
            s += "<text x=\"\(f(px(t)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\">\(label)</text>\n"
        }
        for t in yTicks {
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\">\(Ticks.label(t))</text>\n"
        }
        s += "</g>\n"
        s += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#333\"/>\n"
        if !xLabel.isEmpty {
            s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 12))\" text-anchor=\"middle\">\(HTML.escape(xLabel))</text>\n"
        }
        if !yLabel.isEmpty {
            let cy = top + plotH / 2
            s += "<text x=\"16\" y=\"\(f(cy))\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(f(cy)))\">"
                + "\(HTML.escape(yLabel))</text>\n"
        }
        // Data.
        for (index, (series, pts)) in zip(self.series, points).enumerated() {
            let color = SVGPlot.palette[index % SVGPlot.palette.count]
            s += "<g stroke=\"\(color)\" fill=\"\(color)\">\n"
            for p in pts where p.e > 0 {
                let x = f(px(p.x)), lo = f(py(p.y - p.e)), hi = f(py(p.y + p.e))
                s += "<line x1=\"\(x)\" y1=\"\(lo)\" x2=\"\(x)\" y2=\"\(hi)\"/>"
                s += "<line x1=\"\(f(px(p.x) - 3))\" y1=\"\(lo)\" x2=\"\(f(px(p.x) + 3))\" y2=\"\(lo)\"/>"
                s += "<line x1=\"\(f(px(p.x) - 3))\" y1=\"\(hi)\" x2=\"\(f(px(p.x) + 3))\" y2=\"\(hi)\"/>\n"
            }
            if series.style != .scatter, pts.count > 1 {
                let path = pts.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
                s += "<polyline fill=\"none\" stroke-width=\"2\" points=\"\(path)\"/>\n"
            }
            if series.style != .line {
                for p in pts { s += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"3\"/>\n" }
            }
            s += "</g>\n"
        }
        // Legend in the plot corner that covers the fewest data points.
        if !series.isEmpty {
            let rowH = 16.0
            let boxW = 24 + Double(series.map(\.name.count).max() ?? 0) * 7
            let boxH = Double(series.count) * rowH + 6
            let corners = [(left + 8, top + 8), (left + plotW - 8 - boxW, top + 8),
                           (left + plotW - 8 - boxW, top + plotH - 8 - boxH), (left + 8, top + plotH - 8 - boxH)]
            func covered(_ corner: (Double, Double)) -> Int {
                all.filter { p in
                    (corner.0...(corner.0 + boxW)).contains(px(p.x)) && (corner.1...(corner.1 + boxH)).contains(py(p.y))
                }.count
            }
            let counts = corners.map(covered)
            let (bx, by) = corners[counts.firstIndex(of: counts.min() ?? 0) ?? 0]
            s += "<g font-size=\"11\">\n<rect x=\"\(f(bx))\" y=\"\(f(by))\" width=\"\(f(boxW))\" "
                + "height=\"\(f(boxH))\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#ccc\"/>\n"
            for (index, series) in series.enumerated() {
                let color = SVGPlot.palette[index % SVGPlot.palette.count]
                let y = by + 3 + Double(index) * rowH + rowH / 2
                s += "<line x1=\"\(f(bx + 6))\" y1=\"\(f(y))\" x2=\"\(f(bx + 20))\" y2=\"\(f(y))\" "
                    + "stroke=\"\(color)\" stroke-width=\"2\"/>"
                s += "<text x=\"\(f(bx + 24))\" y=\"\(f(y + 4))\">\(HTML.escape(series.name))</text>\n"
            }
            s += "</g>\n"
        }
        s += "</svg>\n"
        return s
    }

    /// Coordinates with two decimals and no trailing zeros: deterministic and compact.
    func f(_ v: Double) -> String {
        var t = String(format: "%.2f", v)
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t == "-0" ? "0" : t
    }
}

/// Axis ranges and "nice" tick positions (1, 2, 5 × 10^k steps).
enum Ticks {
    /// The range of `values`, padded when degenerate (empty: 0...1; single value: ±1 or ±10 %).
    static func range(_ values: [Double]) -> ClosedRange<Double> {
        guard let lo = values.min(), let hi = values.max() else { return 0...1 }
        if lo == hi {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            return (lo - pad)...(hi + pad)
        }
        return lo...hi
    }

    /// About five ticks covering `range`, on a 1/2/5 step.
    static func nice(_ range: ClosedRange<Double>, target: Int = 5) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let raw = span / Double(target)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let first = floor(range.lowerBound / step), last = ceil(range.upperBound / step)
        guard last - first < 1000 else { return [range.lowerBound, range.upperBound] }
        return stride(from: first, through: last, by: 1).map { ($0 * step * 1e12).rounded() / 1e12 }
    }

    /// Whole decades (in log10 units) covering `range`; falls back to `nice` within one decade.
    static func decades(_ range: ClosedRange<Double>) -> [Double] {
        let first = floor(range.lowerBound), last = ceil(range.upperBound)
        guard last - first >= 1, last - first < 100 else { return nice(range) }
        return stride(from: first, through: last, by: 1).map { $0 }
    }

    /// A short tick label: integers plainly, others with up to 4 significant digits.
    static func label(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e9 { return String(Int64(v)) }
        return String(format: "%.4g", v)
    }
}
