//! The evaluation report and how it is printed.

use super::*;

/// The result of [`evaluate`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// One score per row of the [`TypeMap`], then `all`.
    pub rows: Vec<RowScore>,
    /// Gold spans of a recall base that no prediction of the row overlaps,
    /// most frequent first.
    pub misses: Vec<Tally>,
    /// Predictions of a row with a recall base that overlap no accepted
    /// gold span, most frequent first.
    pub false_alarms: Vec<Tally>,
    /// Overlap matches whose boundaries differ, most frequent first.
    pub partial: Vec<Tally>,
    /// Predictions whose type no row counts, by type.
    pub unmapped: BTreeMap<String, usize>,
    /// What the rows without a recall base accept, for the notes.
    pub notes: Vec<String>,
}

impl Report {
    /// The row named `name`.
    pub fn row(&self, name: &str) -> Option<&RowScore> {
        self.rows.iter().find(|r| r.name == name)
    }

    /// Writes the aligned table, the notes, and the top `top` entries of
    /// each list.
    ///
    /// # Errors
    /// Fails on a write error.
    pub fn write_table(
        &self,
        w: &mut dyn Write,
        top: usize,
    ) -> io::Result<()> {
        // Laid out with padding, then written without trailing spaces.
        let mut buf = Vec::new();
        self.layout_table(&mut buf, top)?;
        for line in String::from_utf8_lossy(&buf).lines() {
            writeln!(w, "{}", line.trim_end())?;
        }
        Ok(())
    }

    pub(super) fn layout_table(
        &self,
        w: &mut dyn Write,
        top: usize,
    ) -> io::Result<()> {
        let width =
            self.rows.iter().map(|r| r.name.len()).max().unwrap_or(0).max(4);
        let num =
            |n: Option<usize>| n.map_or("-".to_string(), |n| n.to_string());
        let f =
            |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:.3}"));
        writeln!(
            w,
            "{:width$}  {:>6}  {:>6}  {:^22}  {:^22}",
            "", "", "", "exact", "overlap"
        )?;
        writeln!(
            w,
            "{:width$}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}",
            "type", "gold", "pred", "P", "R", "F1", "P", "R", "F1"
        )?;
        for r in &self.rows {
            writeln!(
                w,
                "{:width$}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}  {:>6}",
                r.name,
                num(r.exact.gold),
                r.exact.predicted,
                f(r.exact.precision()),
                f(r.exact.recall()),
                f(r.exact.f1()),
                f(r.overlap.precision()),
                f(r.overlap.recall()),
                f(r.overlap.f1()),
            )?;
        }
        writeln!(w)?;
        for n in &self.notes {
            writeln!(w, "{n}")?;
        }
        if !self.unmapped.is_empty() {
            let list: Vec<String> = self
                .unmapped
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect();
            writeln!(
                w,
                "predictions of types no row counts (left out): {}",
                list.join(", ")
            )?;
        }
        let lists: [(&str, &[Tally], &str); 3] = [
            (
                "worst misses (gold spans no prediction of the row overlaps)",
                &self.misses,
                "predicted over it",
            ),
            (
                "false alarms (predictions overlapping no accepted gold span)",
                &self.false_alarms,
                "gold under it",
            ),
            (
                "partial matches (overlap but different boundaries): gold → predicted",
                &self.partial,
                "",
            ),
        ];
        for (title, list, extra) in lists {
            writeln!(w, "\n{title}, top {}:", top.min(list.len()))?;
            let shown = &list[..top.min(list.len())];
            let kw = shown
                .iter()
                .map(|t| t.kind.chars().count())
                .max()
                .unwrap_or(0)
                .max(4);
            let tw = shown
                .iter()
                .map(|t| t.text.chars().count())
                .max()
                .unwrap_or(0)
                .max(4);
            if !shown.is_empty() {
                writeln!(
                    w,
                    "  {:>5}  {:kw$}  {:tw$}  {}",
                    "count", "type", "text", extra
                )?;
            }
            for t in shown {
                writeln!(
                    w,
                    "  {:>5}  {}  {}  {}",
                    t.count,
                    pad(&t.kind, kw),
                    pad(&t.text, tw),
                    t.overlapping
                )?;
            }
        }
        Ok(())
    }

    /// Writes the table as CSV: `type,gold,predicted`, then for `exact` and
    /// `overlap` the matched counts, precision, recall and F1. Values that
    /// cannot be computed are empty cells.
    ///
    /// # Errors
    /// Fails on a write error.
    pub fn write_csv(&self, w: &mut dyn Write) -> io::Result<()> {
        let mut out = csv::Writer::from_writer(w);
        out.write_record([
            "type",
            "gold",
            "predicted",
            "exact_matched_gold",
            "exact_matched_predicted",
            "exact_precision",
            "exact_recall",
            "exact_f1",
            "overlap_matched_gold",
            "overlap_matched_predicted",
            "overlap_precision",
            "overlap_recall",
            "overlap_f1",
        ])?;
        let f =
            |x: Option<f64>| x.map_or(String::new(), |x| format!("{x:.4}"));
        for r in &self.rows {
            let mut rec = vec![
                r.name.clone(),
                r.exact.gold.map_or(String::new(), |n| n.to_string()),
                r.exact.predicted.to_string(),
            ];
            for c in [&r.exact, &r.overlap] {
                rec.push(if c.gold.is_some() {
                    c.matched_gold.to_string()
                } else {
                    String::new()
                });
                rec.push(c.matched_predicted.to_string());
                rec.push(f(c.precision()));
                rec.push(f(c.recall()));
                rec.push(f(c.f1()));
            }
            out.write_record(&rec)?;
        }
        out.flush()
    }
}

/// `s` padded with spaces to `width` characters.
pub(super) fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(n)))
}
