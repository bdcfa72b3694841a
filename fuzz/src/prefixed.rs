//! Lists of byte strings each preceded by a 2-byte big-endian length: how the
//! harnesses carry several certificates in one input.

/// At most this many items are taken from an input.
pub const MAX_ITEMS: usize = 8;

/// Splits a list; a length past the end takes what is left.
pub fn split(data: &[u8]) -> Vec<Vec<u8>> {
    split_at_most(data, MAX_ITEMS)
}

/// Splits a list into at most `max` items.
pub fn split_at_most(mut data: &[u8], max: usize) -> Vec<Vec<u8>> {
    let mut items = Vec::new();
    // Bounded: at most `max` turns, each consuming input.
    while let [l0, l1, body @ ..] = data {
        if items.len() >= max {
            break;
        }
        let len = usize::from(u16::from_be_bytes([*l0, *l1])).min(body.len());
        items.push(body[..len].to_vec());
        data = &body[len..];
    }
    items
}

/// Joins a list (for the seed generator).
pub fn join(items: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for item in items {
        let len = u16::try_from(item.len()).expect("item under 64 KiB");
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(item);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn lists_round_trip_and_overlong_lengths_take_the_rest() {
        let items = vec![b"ab".to_vec(), vec![], b"c".to_vec()];
        assert_eq!(super::split(&super::join(&items)), items);
        assert_eq!(super::split(&[0, 9, 1, 2]), vec![vec![1, 2]]);
    }
}
