//! The stats page's charts, drawn at build time as inline SVG: no script, no
//! library, readable by screen readers (each chart has a title, a description
//! and real text labels), and coloured by the theme's CSS so dark mode works.

use std::fmt::Write as _;

use crate::util::escape::html as esc;

/// One bar: a label, its value and the page it links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub value: usize,
    pub href: String,
}

/// A grid of counts: one row per label, one column per term (oldest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    pub columns: Vec<String>,
    pub rows: Vec<(Bar, Vec<usize>)>,
}

const WIDTH: usize = 400;
/// The bar chart is drawn narrow so that, scaled to a phone's width, its text stays readable.
const LABEL_W: usize = 140;
const ROW_H: usize = 28;
const LABEL_CHARS: usize = 18;

/// A horizontal bar chart; each row links to `href`.
pub fn bar_chart(id: &str, title: &str, desc: &str, bars: &[Bar]) -> String {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(1).max(1);
    let height = bars.len() * ROW_H + 8;
    let span = WIDTH - LABEL_W - 48;
    let mut svg = open(id, "chart chart-bars", title, desc, WIDTH, height);
    for (i, bar) in bars.iter().enumerate() {
        let y = i * ROW_H + 4;
        let w = (bar.value * span).div_ceil(max).max(2);
        let _ = write!(
            svg,
            r#"<a href="{href}"><title>{full}: {v}</title><text class="chart-label" x="{lx}" y="{ty}" text-anchor="end">{label}</text><rect class="chart-bar" x="{bx}" y="{ry}" width="{w}" height="{bh}" rx="3"/><text class="chart-value" x="{vx}" y="{ty}">{v}</text></a>"#,
            href = esc(&bar.href),
            full = esc(&bar.label),
            label = esc(&shorten(&bar.label, LABEL_CHARS)),
            v = bar.value,
            lx = LABEL_W - 8,
            ty = y + ROW_H / 2 + 4,
            bx = LABEL_W,
            ry = y + 4,
            bh = ROW_H - 8,
            vx = LABEL_W + w + 6,
        );
    }
    svg.push_str("</svg>");
    svg
}

const CELL_W: usize = 48;
const HEAD_H: usize = 96;

/// A heat grid: rows of labels against columns of terms, each cell showing its count.
pub fn grid_chart(id: &str, title: &str, desc: &str, grid: &Grid) -> String {
    let max = grid
        .rows
        .iter()
        .flat_map(|(_, counts)| counts)
        .copied()
        .max()
        .unwrap_or(1)
        .max(1);
    // Room on the right for the last column's slanted label.
    let width = LABEL_W + grid.columns.len() * CELL_W + HEAD_H / 2;
    let height = HEAD_H + grid.rows.len() * ROW_H + 8;
    let mut svg = open(id, "chart chart-grid", title, desc, width, height);
    for (c, column) in grid.columns.iter().enumerate() {
        let x = LABEL_W + c * CELL_W + CELL_W / 2;
        let _ = write!(
            svg,
            r#"<text class="chart-label" x="{x}" y="{y}" transform="rotate(-45 {x} {y})">{label}</text>"#,
            y = HEAD_H - 8,
            label = esc(&shorten(column, 16)),
        );
    }
    for (r, (bar, counts)) in grid.rows.iter().enumerate() {
        let y = HEAD_H + r * ROW_H;
        let _ = write!(
            svg,
            // The title names the link for what it opens: a label alone ("Go")
            // reads as a command to a screen reader.
            r#"<a href="{href}"><title>{full}: all ideas</title><text class="chart-label" x="{lx}" y="{ty}" text-anchor="end">{label}</text></a>"#,
            href = esc(&bar.href),
            full = esc(&bar.label),
            lx = LABEL_W - 8,
            ty = y + ROW_H / 2 + 4,
            label = esc(&shorten(&bar.label, LABEL_CHARS)),
        );
        for (c, &n) in counts.iter().enumerate() {
            let x = LABEL_W + c * CELL_W;
            // Five steps of strength, so cells stay distinguishable in both themes.
            let level = if n == 0 {
                0
            } else {
                (n * 4).div_ceil(max).clamp(1, 4)
            };
            let _ = write!(
                svg,
                r#"<g><title>{label}, {col}: {n}</title><rect class="chart-cell chart-cell-{level}" x="{x}" y="{cy}" width="{cw}" height="{ch}" rx="3"/><text class="chart-count" x="{tx}" y="{ty}" text-anchor="middle">{shown}</text></g>"#,
                label = esc(&bar.label),
                col = esc(&grid.columns[c]),
                cy = y + 2,
                cw = CELL_W - 4,
                ch = ROW_H - 4,
                tx = x + (CELL_W - 4) / 2,
                ty = y + ROW_H / 2 + 4,
                shown = if n == 0 { String::new() } else { n.to_string() },
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The chart's root, a named `group`: not an `img`, whose content screen readers
/// skip while its links stay in the tab order.
fn open(id: &str, class: &str, title: &str, desc: &str, width: usize, height: usize) -> String {
    format!(
        r#"<svg class="{class}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="group" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
        id = esc(id),
        title = esc(title),
        desc = esc(desc),
    )
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn bar(label: &str, value: usize) -> Bar {
        Bar {
            label: label.into(),
            value,
            href: "/skills/x/".into(),
        }
    }

    #[test]
    fn bar_chart_is_labelled_and_escaped() {
        let svg = bar_chart(
            "c1",
            "Skills",
            "Ideas per skill",
            &[bar("<script>", 3), bar("Go", 1)],
        );
        assert!(svg.contains(r#"aria-labelledby="c1-title c1-desc""#));
        assert!(svg.contains("<title id=\"c1-title\">Skills</title>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(!svg.contains("<script>"));
        assert_eq!(svg.matches("<rect").count(), 2);
    }

    #[test]
    fn bars_are_proportional() {
        let svg = bar_chart("c", "t", "d", &[bar("a", 4), bar("b", 2)]);
        let widths: Vec<usize> = svg
            .split("width=\"")
            .skip(2)
            .filter_map(|s| s.split('"').next()?.parse().ok())
            .collect();
        assert_eq!(widths.len(), 2);
        assert_eq!(widths[0], widths[1] * 2);
    }

    #[test]
    fn grid_shows_counts_and_leaves_zero_cells_blank() {
        let grid = Grid {
            columns: vec!["2025".into(), "2026".into()],
            rows: vec![(bar("Go", 0), vec![0, 5])],
        };
        let svg = grid_chart("g", "t", "d", &grid);
        assert!(svg.contains(">5</text>"));
        assert!(svg.contains("chart-cell-0"));
        assert!(svg.contains("chart-cell-4"));
    }

    #[test]
    fn long_labels_are_shortened() {
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abc", 4), "abc");
    }

    /// The theme's colour variables of one scheme: the light `:root`, then the
    /// dark one over it.
    fn scheme(css: &str, dark: bool) -> HashMap<String, String> {
        let block = |from: usize| {
            let start = css[from..].find(":root {").unwrap() + from;
            let end = css[start..].find('}').unwrap() + start;
            &css[start..end]
        };
        let mut vars = HashMap::new();
        let mut blocks = vec![block(0)];
        if dark {
            blocks.push(block(css.find("prefers-color-scheme: dark").unwrap()));
        }
        for b in blocks {
            for decl in b.split(';') {
                if let Some((k, v)) = decl
                    .trim()
                    .trim_start_matches(":root {")
                    .trim()
                    .split_once(':')
                {
                    vars.insert(k.trim().to_string(), v.trim().to_string());
                }
            }
        }
        vars
    }

    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let c = u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64 / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    #[test]
    fn heat_map_counts_are_readable_in_both_schemes() {
        let css = include_str!("../../static/style.css");
        let dark_rules = &css[css.find("prefers-color-scheme: dark").unwrap()..];
        let dark_rules = &dark_rules[..dark_rules.find("\n}\n").unwrap()];
        let light_rules = css.replacen(dark_rules, "", 1);
        for dark in [false, true] {
            let vars = scheme(css, dark);
            for level in 1..=4 {
                let rule = format!(".chart-cell-{level} + .chart-count {{ fill: var(");
                let text = [dark.then_some(dark_rules), Some(light_rules.as_str())]
                    .into_iter()
                    .flatten()
                    .find_map(|rules| {
                        let at = rules.find(&rule)? + rule.len();
                        Some(rules[at..].split(')').next()?.to_string())
                    })
                    .unwrap_or_else(|| "--text".into());
                let cell = &vars[&format!("--chart-{level}")];
                let ratio = contrast(&vars[&text], cell);
                assert!(
                    ratio >= 4.5,
                    "level {level}, dark {dark}: {text} on {cell} is {ratio:.2}:1"
                );
            }
        }
    }
}
