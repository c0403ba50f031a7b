//! A small seeded random-number generator (SplitMix64), so a corpus is the same on
//! every machine for the same seed and needs no dependency.

/// The generator's state.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The `part`-th of the independent generators drawn from `seed`: parts of a
    /// corpus drawn apart (on several threads) are the same whatever the order.
    pub fn stream(seed: u64, part: u64) -> Self {
        let mut mixer = Rng(seed ^ part.wrapping_add(1).wrapping_mul(0xD1B5_4A32_D192_ED03));
        Rng(mixer.next_u64())
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// One of `items` (not empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// `n` characters drawn from `alphabet`.
    pub fn chars(&mut self, alphabet: &str, n: usize) -> String {
        if alphabet.is_ascii() {
            // The same draws as below, without collecting the alphabet each time.
            let bytes = alphabet.as_bytes();
            return (0..n).map(|_| char::from(*self.pick(bytes))).collect();
        }
        let alphabet: Vec<char> = alphabet.chars().collect();
        (0..n).map(|_| *self.pick(&alphabet)).collect()
    }

    /// A random version-4-style UUID, as CloudTrail writes request and event ids.
    pub fn uuid(&mut self) -> String {
        let hex = "0123456789abcdef";
        format!(
            "{}-{}-4{}-{}{}-{}",
            self.chars(hex, 8),
            self.chars(hex, 4),
            self.chars(hex, 3),
            self.pick(&['8', '9', 'a', 'b']),
            self.chars(hex, 3),
            self.chars(hex, 12)
        )
    }
}

/// A stable 64-bit hash of `text` (FNV-1a), to derive a seed from what is judged.
pub fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_numbers_and_others_differ() {
        let draw = |seed| {
            let mut rng = Rng::new(seed);
            (0..4).map(|_| rng.next_u64()).collect::<Vec<_>>()
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
        let mut rng = Rng::new(1);
        assert!((0..1000).all(|_| rng.below(6) < 6));
        assert_eq!(Rng::new(3).uuid().len(), 36);
        assert_ne!(hash("GetSecretValue"), hash("GetSecretValue "));
        // An ASCII alphabet draws as any other does.
        let (mut a, mut b) = (Rng::new(9), Rng::new(9));
        assert_eq!(
            a.chars("abcdef", 40),
            b.chars("abcdéf", 40).replace('é', "e")
        );
    }
}
