//! Server-side SVG charts. Each is drawn beside a table with the same numbers, which is what a
//! screen reader reads: the picture is marked as an image with a title that points to it.

/// Escapes text for SVG.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One bar: its label, how full (0–100) and the text at its end.
pub struct Bar {
    pub label: String,
    pub percent: u8,
    pub value: String,
}

/// Horizontal bars of 0–100 %, one per line, with a title for assistive technology.
pub fn bars(id: &str, title: &str, bars: &[Bar]) -> String {
    const LINE: u32 = 34;
    const LABEL_W: u32 = 280;
    const BAR_W: u32 = 300;
    let height = LINE * bars.len() as u32 + 8;
    let width = LABEL_W + BAR_W + 110;
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{id}-title" viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet"><title id="{id}-title">{}</title>"#,
        esc(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = i as u32 * LINE + 4;
        let filled = u32::from(b.percent.min(100)) * BAR_W / 100;
        let mut label = b.label.clone();
        if label.chars().count() > 42 {
            label = label.chars().take(41).collect::<String>() + "…";
        }
        out += &format!(
            r##"<text x="0" y="{}" font-size="13" fill="#1b1b1b">{}</text><rect x="{LABEL_W}" y="{y}" width="{BAR_W}" height="22" fill="#e8e8e8"/><rect x="{LABEL_W}" y="{y}" width="{filled}" height="22" fill="#005a8c"/><text x="{}" y="{}" font-size="13" fill="#1b1b1b">{}</text>"##,
            y + 16,
            esc(&label),
            LABEL_W + BAR_W + 8,
            y + 16,
            esc(&b.value)
        );
    }
    out + "</svg>"
}

/// Vertical columns over time (one per label, height relative to the largest), with the first
/// and last labels written under them and a title for assistive technology.
pub fn columns(id: &str, title: &str, points: &[(String, u64)]) -> String {
    const HEIGHT: u32 = 140;
    let width = (points.len() as u32 * 12).max(240);
    let max = points.iter().map(|p| p.1).max().unwrap_or(0).max(1);
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{id}-title" viewBox="0 0 {width} {}" width="100%" preserveAspectRatio="xMinYMin meet"><title id="{id}-title">{}</title>"#,
        HEIGHT + 24,
        esc(title)
    );
    let step = width / points.len().max(1) as u32;
    for (i, (_, n)) in points.iter().enumerate() {
        let h = (*n * u64::from(HEIGHT) / max) as u32;
        out += &format!(
            r##"<rect x="{}" y="{}" width="{}" height="{h}" fill="#005a8c"/>"##,
            i as u32 * step,
            HEIGHT - h,
            step.saturating_sub(2).max(1)
        );
    }
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        out += &format!(
            r##"<text x="0" y="{}" font-size="12" fill="#1b1b1b">{}</text><text x="{width}" y="{}" font-size="12" fill="#1b1b1b" text-anchor="end">{}</text>"##,
            HEIGHT + 18,
            esc(&first.0),
            HEIGHT + 18,
            esc(&last.0)
        );
    }
    out + "</svg>"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_as_long_as_their_share_and_text_is_escaped() {
        let svg = bars(
            "g",
            "Mål <och> resultat",
            &[
                Bar {
                    label: "A & B".into(),
                    percent: 50,
                    value: "5 av 10".into(),
                },
                Bar {
                    label: "C".into(),
                    percent: 130,
                    value: "13 av 10".into(),
                },
            ],
        );
        assert!(svg.contains(r#"role="img""#) && svg.contains("Mål &lt;och&gt; resultat"));
        assert!(svg.contains("A &amp; B"));
        assert!(
            svg.contains(r##"width="150" height="22" fill="#005a8c""##),
            "half of 300"
        );
        assert!(
            svg.contains(r##"width="300" height="22" fill="#005a8c""##),
            "capped at full"
        );
    }

    #[test]
    fn columns_are_as_tall_as_their_share_of_the_largest() {
        let svg = columns(
            "c",
            "Inskrivningar",
            &[("2026-01".into(), 10), ("2026-02".into(), 5)],
        );
        assert!(svg.contains(r#"y="0" width="118" height="140""#), "{svg}");
        assert!(svg.contains(r#"y="70" width="118" height="70""#), "{svg}");
        assert!(svg.contains(">2026-01<") && svg.contains(">2026-02<"));
    }
}
