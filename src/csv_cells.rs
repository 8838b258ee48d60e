//! Every CSV file loket writes passes through here (issue 14, point 15): a cell that a spreadsheet
//! program would run as a formula or a command (it begins with `=`, `+`, `-`, `@`, a tab or a
//! carriage return) is neutralised as the OWASP guidance on CSV injection asks: a `'` before it,
//! inside a quoted cell. A plain number such as `-3` stays a number. The text itself is kept, so
//! the `'` is all a reader has to take off.

/// The first characters that make a spreadsheet treat a cell as a formula or a command.
const ACTIVE: [u8; 6] = [b'=', b'+', b'-', b'@', b'\t', b'\r'];

/// Whether `cell` would be run by a spreadsheet program.
fn is_active(cell: &[u8]) -> bool {
    let Some(first) = cell.first() else { return false };
    if !ACTIVE.contains(first) {
        return false;
    }
    let number = std::str::from_utf8(cell).ok().and_then(|s| s.parse::<f64>().ok());
    !number.is_some_and(f64::is_finite)
}

/// The CSV text `w` holds, with every active cell neutralised (and quoted); records without one
/// stay exactly as the csv crate wrote them.
pub fn finish(w: csv::Writer<Vec<u8>>) -> Result<String, csv::Error> {
    let written = w.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(&written[..]);
    let mut out = Vec::with_capacity(written.len());
    for record in reader.byte_records() {
        let record = record?;
        if record.iter().any(is_active) {
            let cells: Vec<Vec<u8>> = record.iter().map(quoted).collect();
            out.extend_from_slice(&cells.join(&b","[..]));
            out.push(b'\n');
        } else {
            let mut plain = csv::Writer::from_writer(Vec::new());
            plain.write_byte_record(&record)?;
            out.extend(plain.into_inner().map_err(|e| csv::Error::from(e.into_error()))?);
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// One cell of a record that holds an active cell: the active one with its `'`, and quoted; any
/// other quoted only where CSV needs it.
fn quoted(cell: &[u8]) -> Vec<u8> {
    let active = is_active(cell);
    if !active && !cell.iter().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
        return cell.to_vec();
    }
    let mut out = vec![b'"'];
    if active {
        out.push(b'\'');
    }
    for &b in cell {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_back(text: &str) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.expect("a record").iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn formulas_get_a_quote_and_numbers_and_plain_text_stay() {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["key", "label", "value"]).expect("write");
        w.write_record(["a", "=HYPERLINK(\"http://x\",\"klik\")", "-3"]).expect("write");
        w.write_record(["b", "+31 6", "@SUM(A1)"]).expect("write");
        w.write_record(["c", "-", "\tx"]).expect("write");
        w.write_record(["d", "\r=1", "Gratis, 3 gesprekken"]).expect("write");
        w.write_record(["e", "plain", "1.5"]).expect("write");
        let text = finish(w).expect("csv");
        assert_eq!(
            read_back(&text),
            [
                ["key", "label", "value"],
                ["a", "'=HYPERLINK(\"http://x\",\"klik\")", "-3"],
                ["b", "'+31 6", "'@SUM(A1)"],
                ["c", "'-", "'\tx"],
                ["d", "'\r=1", "Gratis, 3 gesprekken"],
                ["e", "plain", "1.5"],
            ],
            "{text}"
        );
        assert!(
            text.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"klik\"\")\","),
            "inside a quoted cell:\n{text}"
        );
        assert!(text.starts_with("key,label,value\n"), "plain records as before:\n{text}");
        assert!(text.ends_with("e,plain,1.5\n"), "{text}");
    }
}
