/// The report's inline stylesheet: small, readable, print-friendly, no web fonts.
enum ReportStyle {
    static let css = """
    body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;max-width:58rem;margin:2rem auto;padding:0 1rem}
    h1,h2,h3{line-height:1.25}
    code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
    pre{background:#f6f8fa;padding:.6rem .8rem;overflow-x:auto;border-radius:4px}
    header.run{border-bottom:1px solid #ddd;margin-bottom:1.5rem;padding-bottom:.5rem;color:#555;font-size:14px}
    section.stage{border-left:4px solid #ccc;margin:1.2rem 0;padding:.2rem 0 .2rem 1rem}
    section.stage.executed{border-color:#2b8a3e}section.stage.cached{border-color:#1c7ed6}
    section.stage.failed{border-color:#c92a2a}section.stage.missing{border-color:#adb5bd}
    .stage-head{font-size:14px;color:#444}.stage-head code{font-weight:bold;color:#222}
    .badge{display:inline-block;padding:0 .4rem;border-radius:3px;font-size:12px;color:#fff;background:#868e96}
    .executed .badge{background:#2b8a3e}.cached .badge{background:#1c7ed6}.failed .badge{background:#c92a2a}
    .hint{font-size:12px;color:#777}.error{color:#c92a2a}
    table{border-collapse:collapse;margin:.5rem 0;font-size:13px}
    th,td{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}th{background:#f1f3f5}
    td.num{text-align:right;font-variant-numeric:tabular-nums}
    caption{text-align:left;font-weight:bold;padding:.2rem 0}
    figure{margin:.8rem 0}figure svg{max-width:100%;height:auto}figcaption{font-size:13px;color:#555}
    footer{margin-top:2rem;border-top:1px solid #ddd;color:#777;font-size:12px}
    """
}
