//! Event ids in a stable, natural order (`T2` before `T10`), numbered from 0.

use std::cmp::Ordering;

/// Compares ids as text, except that runs of digits compare as numbers.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    while let (Some(&p), Some(&q)) = (x.first(), y.first()) {
        if p.is_ascii_digit() && q.is_ascii_digit() {
            let dx = x.iter().take_while(|c| c.is_ascii_digit()).count();
            let dy = y.iter().take_while(|c| c.is_ascii_digit()).count();
            let nx = trim_zeros(&x[..dx]);
            let ny = trim_zeros(&y[..dy]);
            let ord = nx.len().cmp(&ny.len()).then_with(|| nx.cmp(ny));
            if ord != Ordering::Equal {
                return ord;
            }
            x = &x[dx..];
            y = &y[dy..];
        } else {
            if p != q {
                return p.cmp(&q);
            }
            x = &x[1..];
            y = &y[1..];
        }
    }
    x.len().cmp(&y.len()).then_with(|| a.cmp(b))
}

fn trim_zeros(d: &[u8]) -> &[u8] {
    let k = d.iter().take_while(|&&c| c == b'0').count();
    &d[k..]
}

/// The distinct ids of some sequences, in natural order.
pub fn vocabulary_of<S: AsRef<str>>(sequences: &[Vec<S>]) -> Vec<String> {
    let mut ids: Vec<String> = sequences
        .iter()
        .flatten()
        .map(|s| s.as_ref().to_owned())
        .collect();
    ids.sort_by(|a, b| natural_cmp(a, b));
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_inside_ids_compare_as_numbers() {
        let seqs = vec![vec!["T10", "T2", "T1", "A", "T2"]];
        assert_eq!(vocabulary_of(&seqs), ["A", "T1", "T2", "T10"]);
        assert_eq!(natural_cmp("T02", "T2"), Ordering::Less);
    }
}
