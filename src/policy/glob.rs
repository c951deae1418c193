//! Wildcard patterns and their automata.
//!
//! IAM patterns use `*` (any run of characters, possibly empty) and `?` (exactly one
//! character). Concrete matching of plain patterns goes through the `wildmatch` crate; since
//! policies can contain literal `*`/`?` (`${*}`, `${?}`, or the values of `StringEquals`),
//! patterns are handed to `wildmatch` with two private-use characters as its wildcards.
//!
//! What `wildmatch` cannot do is done on a small position automaton (the NFA whose states
//! are positions in the pattern, [`Glob`]): resource ARNs, whose wildcards stay inside one
//! colon-separated segment except that a `*` ending a segment may run past colons (IAM User
//! Guide, "IAM JSON policy elements: Resource", section "Using wildcards in resource ARNs"),
//! and the witness search of the `search` module, which runs these automata in product.
//!
//! A *boundary marker* ([`MARK`], matched only by [`Tok::Mark`]) splits a searched string
//! into two parts, so that one pattern can speak about the whole string and another only
//! about the part after the marker. A glob without `Mark` tokens does not see the marker
//! (it is skipped); a glob with `Mark` tokens sees it only at those tokens. The prover uses
//! it for `iot:Connect`, whose resource name is the request's own `iot:ClientId`.

/// Private-use characters handed to `wildmatch` as its `*` and `?`.
const WM_STAR: char = '\u{E000}';
const WM_ONE: char = '\u{E001}';
type Wm = wildmatch::WildMatchPattern<WM_STAR, WM_ONE>;

/// The boundary marker of the witness search (see the module docs). Never part of a
/// request: callers strip it from a witness.
pub(crate) const MARK: char = '\u{E002}';

/// One element of a pattern after policy-variable substitution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum PChar {
    Lit(char),
    One,
    Star,
}

pub(crate) type Pat = Vec<PChar>;

/// `*` and `?` in `text` are wildcards.
pub(crate) fn pat_wild(text: &str) -> Pat {
    text.chars()
        .map(|c| match c {
            '*' => PChar::Star,
            '?' => PChar::One,
            c => PChar::Lit(c),
        })
        .collect()
}

/// Every character of `text` is literal.
pub(crate) fn pat_literal(text: &str) -> Pat {
    text.chars().map(PChar::Lit).collect()
}

fn wm(pat: &[PChar], case_insensitive: bool) -> Option<Wm> {
    let mut s = String::with_capacity(pat.len());
    for p in pat {
        s.push(match *p {
            PChar::Star => WM_STAR,
            PChar::One => WM_ONE,
            PChar::Lit(c) if c == WM_STAR || c == WM_ONE => return None,
            PChar::Lit(c) => c,
        });
    }
    Some(if case_insensitive {
        Wm::new_case_insensitive(&s)
    } else {
        Wm::new(&s)
    })
}

/// Whole-string wildcard match. `None` only when the pattern contains one of the
/// private-use characters reserved for `wildmatch`.
pub(crate) fn glob_match(pat: &[PChar], value: &str, case_insensitive: bool) -> Option<bool> {
    wm(pat, case_insensitive).map(|m| m.matches(value))
}

/// Splits `pat` at its first five literal colons. `None` if it has fewer than six segments.
fn arn_segments(pat: &[PChar]) -> Option<Vec<&[PChar]>> {
    let mut segs = Vec::with_capacity(6);
    let mut start = 0;
    for (i, p) in pat.iter().enumerate() {
        if segs.len() == 5 {
            break;
        }
        if *p == PChar::Lit(':') {
            segs.push(&pat[start..i]);
            start = i + 1;
        }
    }
    if segs.len() < 5 {
        return None;
    }
    segs.push(&pat[start..]);
    Some(segs)
}

/// `ArnLike`/`ArnEquals` (IAM User Guide, "Condition operators", ARN condition operators):
/// each of the six colon-delimited components is matched separately, case-sensitively.
/// `None` when the pattern is not a six-component ARN pattern (not modelled); a value with
/// fewer than six components does not match.
pub(crate) fn arn_like(pat: &[PChar], value: &str) -> Option<bool> {
    let segs = arn_segments(pat)?;
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    if parts.len() < 6 {
        return Some(false);
    }
    let mut all = true;
    for (seg, part) in segs.iter().zip(parts) {
        all &= glob_match(seg, part, false)?;
    }
    Some(all)
}

/// Case-insensitive character equality, the same per-character rule `wildmatch` uses.
pub(crate) fn ic_eq(a: char, b: char) -> bool {
    a == b || a.to_lowercase().eq(b.to_lowercase())
}

/// Automaton element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Tok {
    Lit(char),
    LitIc(char),
    One,
    OneNoColon,
    Star,
    StarNoColon,
    /// Matches the boundary marker [`MARK`] and nothing else.
    Mark,
}

/// A pattern compiled for the automaton.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Glob(pub Vec<Tok>);

impl Glob {
    pub(crate) fn literal(s: &str) -> Glob {
        Glob(s.chars().map(Tok::Lit).collect())
    }

    /// Whole-string semantics (what `wildmatch` does).
    pub(crate) fn whole(pat: &[PChar], case_insensitive: bool) -> Glob {
        Glob(
            pat.iter()
                .map(|p| match *p {
                    PChar::Lit(c) if case_insensitive => Tok::LitIc(c),
                    PChar::Lit(c) => Tok::Lit(c),
                    PChar::One => Tok::One,
                    PChar::Star => Tok::Star,
                })
                .collect(),
        )
    }

    /// The documented resource-ARN semantics: in the first five segments `?` and `*` stay
    /// inside the segment, except a `*` that ends a segment, which may run past colons.
    /// The sixth segment (the resource part) is plain.
    pub(crate) fn arn_resource(pat: &[PChar]) -> Glob {
        let mut toks = Vec::with_capacity(pat.len());
        let mut colons = 0;
        for (i, p) in pat.iter().enumerate() {
            let in_prefix = colons < 5;
            toks.push(match *p {
                PChar::Lit(c) => {
                    if c == ':' {
                        colons += 1;
                    }
                    Tok::Lit(c)
                }
                PChar::One if in_prefix => Tok::OneNoColon,
                PChar::One => Tok::One,
                PChar::Star if in_prefix => {
                    let ends_segment = matches!(pat.get(i + 1), None | Some(PChar::Lit(':')));
                    if ends_segment {
                        Tok::Star
                    } else {
                        Tok::StarNoColon
                    }
                }
                PChar::Star => Tok::Star,
            });
        }
        Glob(toks)
    }

    /// The `ArnLike` condition language as an automaton; `None` as for [`arn_like`].
    pub(crate) fn arn_condition(pat: &[PChar]) -> Option<Glob> {
        let segs = arn_segments(pat)?;
        let mut toks = Vec::new();
        for (i, seg) in segs.iter().enumerate() {
            if i > 0 {
                toks.push(Tok::Lit(':'));
            }
            for p in seg.iter() {
                toks.push(match (*p, i < 5) {
                    (PChar::Lit(c), _) => Tok::Lit(c),
                    (PChar::One, true) => Tok::OneNoColon,
                    (PChar::Star, true) => Tok::StarNoColon,
                    (PChar::One, false) => Tok::One,
                    (PChar::Star, false) => Tok::Star,
                });
            }
        }
        Some(Glob(toks))
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Concrete match by simulating the automaton.
    pub(crate) fn matches(&self, s: &str) -> bool {
        let words = words_for(self.len());
        let transparent = !self.0.contains(&Tok::Mark);
        let mut set = vec![0u64; words];
        let mut next = vec![0u64; words];
        set_bit(&mut set, 0);
        closure(&self.0, &mut set);
        for c in s.chars() {
            next.fill(0);
            step_with(&self.0, transparent, &set, c, &mut next);
            std::mem::swap(&mut set, &mut next);
            if set.iter().all(|w| *w == 0) {
                return false;
            }
        }
        get_bit(&set, self.len())
    }
}

fn words_for(len: usize) -> usize {
    (len + 1).div_ceil(64)
}

fn set_bit(set: &mut [u64], i: usize) {
    set[i / 64] |= 1 << (i % 64);
}

/// The set bits of `set`, in ascending order.
fn active(set: &[u64]) -> impl Iterator<Item = usize> + '_ {
    set.iter().enumerate().flat_map(|(wi, &word)| {
        let mut w = word;
        std::iter::from_fn(move || {
            (w != 0).then(|| {
                let b = w.trailing_zeros() as usize;
                w &= w - 1;
                wi * 64 + b
            })
        })
    })
}

fn get_bit(set: &[u64], i: usize) -> bool {
    set[i / 64] & (1 << (i % 64)) != 0
}

fn is_star(t: Tok) -> bool {
    matches!(t, Tok::Star | Tok::StarNoColon)
}

/// Adds the states reachable by letting a `*` match nothing. Set bits are visited in
/// ascending order, including bits set on the way, so chains of `*` close in one pass.
fn closure(toks: &[Tok], set: &mut [u64]) {
    for wi in 0..set.len() {
        let mut w = set[wi];
        while w != 0 {
            let b = w.trailing_zeros() as usize;
            w &= w - 1;
            let i = wi * 64 + b;
            if i < toks.len() && is_star(toks[i]) {
                set_bit(set, i + 1);
                if (i + 1) / 64 == wi {
                    w |= 1 << ((i + 1) % 64);
                }
            }
        }
    }
}

/// One input character: from every active position, follow its token. `transparent`: the
/// glob has no `Mark` token (it skips the marker).
fn step_with(toks: &[Tok], transparent: bool, set: &[u64], c: char, next: &mut [u64]) {
    if c == MARK {
        step_mark(toks, transparent, set, next);
        return;
    }
    for i in active(set) {
        let Some(t) = toks.get(i) else { continue };
        match *t {
            Tok::Lit(x) if c == x => set_bit(next, i + 1),
            Tok::LitIc(x) if ic_eq(c, x) => set_bit(next, i + 1),
            Tok::One => set_bit(next, i + 1),
            Tok::OneNoColon if c != ':' => set_bit(next, i + 1),
            Tok::Star => set_bit(next, i),
            Tok::StarNoColon if c != ':' => set_bit(next, i),
            _ => {}
        }
    }
    closure(toks, next);
}

/// The boundary marker: `Mark` tokens consume it; a glob without `Mark` tokens skips it
/// (every active position stays active); a glob with `Mark` tokens sees nothing else there.
fn step_mark(toks: &[Tok], transparent: bool, set: &[u64], next: &mut [u64]) {
    for i in active(set) {
        if toks.get(i) == Some(&Tok::Mark) {
            set_bit(next, i + 1);
        } else if transparent {
            set_bit(next, i);
        }
    }
    closure(toks, next);
}

/// Whether `c` is its own lower case (`A`, `İ` and the Kelvin sign are not).
pub(crate) fn is_lower_char(c: char) -> bool {
    let mut l = c.to_lowercase();
    l.next() == Some(c) && l.next().is_none()
}
