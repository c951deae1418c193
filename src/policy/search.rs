//! Witness search: given wildcard automata ([`Glob`]) and a Boolean requirement ([`Req`]) on
//! which of them a string matches ("matches the Allow, none of the Denies"), find such a
//! string or prove that there is none.
//!
//! The search runs over an alphabet made of every literal character in the patterns (with
//! case variants for case-insensitive ones), `:` and one filler character that stands for
//! every other character. Any string can be rewritten over that alphabet without changing
//! which patterns it matches, so the search is complete; it is finite because each pattern's
//! automaton has finitely many subset states. [`find_witness_in`] searches lower-case
//! strings only, or strings over a finite character set (condition keys whose values AWS
//! always sets in lower case, or as resource ids).
//!
//! The product of the automata is explored breadth first and on the fly, never built:
//! - each pattern's subset states are interned once, with a lazily filled transition table,
//!   so a product state is a short vector of small integers and a product step is a table
//!   lookup per pattern;
//! - patterns the requirement does not mention (after constant folding) are left out;
//! - a product state from which no extension can satisfy the requirement is dropped: each
//!   pattern state is *dead* (no extension matches), *universal* (every extension matches)
//!   or undecided, and the requirement is evaluated in three-valued logic;
//! - *antichain pruning*: a pattern the requirement only wants matched is better off with
//!   more active positions, one it only wants unmatched with fewer. A product state that is
//!   no better than an already seen one with the same positive part is dropped, since every
//!   witness through it also runs through the other (De Wulf, Doyen, Henzinger, Raskin,
//!   "Antichains: a new algorithm for checking universality of finite automata", CAV 2006).
//!
//! Work is counted in steps (a transition, an automaton state built, a subsumption test)
//! against a [`Budget`] shared by every search of one proof, so results are reproducible;
//! a search that runs out, or reaches [`STATE_LIMIT`] product states, gives up
//! ([`GiveUp`]) and never answers "no witness".
use std::cell::Cell;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::fmt;

use super::glob::{ic_eq, is_lower_char, Glob, Tok, MARK};

/// A Boolean requirement on which globs a string matches (`Var(i)`: glob `i` matches).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Req {
    Const(bool),
    Var(usize),
    Not(Box<Req>),
    All(Vec<Req>),
    Any(Vec<Req>),
}

/// A three-valued answer about all extensions of a prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum K {
    No,
    Maybe,
    Yes,
}

impl Req {
    pub(crate) fn var(i: usize) -> Req {
        Req::Var(i)
    }

    /// Negation, folding constants and double negation.
    #[allow(clippy::should_implement_trait)]
    pub(crate) fn not(r: Req) -> Req {
        match r {
            Req::Const(b) => Req::Const(!b),
            Req::Not(inner) => *inner,
            other => Req::Not(Box::new(other)),
        }
    }

    /// Conjunction, folding constants.
    pub(crate) fn all(parts: impl IntoIterator<Item = Req>) -> Req {
        let mut out = Vec::new();
        for p in parts {
            match p {
                Req::Const(true) => {}
                Req::Const(false) => return Req::Const(false),
                Req::All(inner) => out.extend(inner),
                other => out.push(other),
            }
        }
        match out.len() {
            0 => Req::Const(true),
            1 => out.pop().unwrap_or(Req::Const(true)),
            _ => Req::All(out),
        }
    }

    /// Disjunction, folding constants.
    pub(crate) fn any(parts: impl IntoIterator<Item = Req>) -> Req {
        let mut out = Vec::new();
        for p in parts {
            match p {
                Req::Const(false) => {}
                Req::Const(true) => return Req::Const(true),
                Req::Any(inner) => out.extend(inner),
                other => out.push(other),
            }
        }
        match out.len() {
            0 => Req::Const(false),
            1 => out.pop().unwrap_or(Req::Const(false)),
            _ => Req::Any(out),
        }
    }

    /// The requirement on concrete match results.
    pub(crate) fn eval(&self, m: &[bool]) -> bool {
        match self {
            Req::Const(b) => *b,
            Req::Var(i) => m[*i],
            Req::Not(r) => !r.eval(m),
            Req::All(rs) => rs.iter().all(|r| r.eval(m)),
            Req::Any(rs) => rs.iter().any(|r| r.eval(m)),
        }
    }

    fn eval3(&self, m: &[K]) -> K {
        match self {
            Req::Const(true) => K::Yes,
            Req::Const(false) => K::No,
            Req::Var(i) => m[*i],
            Req::Not(r) => match r.eval3(m) {
                K::Yes => K::No,
                K::No => K::Yes,
                K::Maybe => K::Maybe,
            },
            Req::All(rs) => rs.iter().fold(K::Yes, |acc, r| match (acc, r.eval3(m)) {
                (K::No, _) | (_, K::No) => K::No,
                (K::Yes, K::Yes) => K::Yes,
                _ => K::Maybe,
            }),
            Req::Any(rs) => rs.iter().fold(K::No, |acc, r| match (acc, r.eval3(m)) {
                (K::Yes, _) | (_, K::Yes) => K::Yes,
                (K::No, K::No) => K::No,
                _ => K::Maybe,
            }),
        }
    }

    /// Marks each variable as wanted matched (`POS`) and/or unmatched (`NEG`).
    fn polarity(&self, positive: bool, out: &mut [u8]) {
        match self {
            Req::Const(_) => {}
            Req::Var(i) => out[*i] |= if positive { POS } else { NEG },
            Req::Not(r) => r.polarity(!positive, out),
            Req::All(rs) | Req::Any(rs) => rs.iter().for_each(|r| r.polarity(positive, out)),
        }
    }

    fn map_vars(&self, f: &dyn Fn(usize) -> usize) -> Req {
        match self {
            Req::Const(b) => Req::Const(*b),
            Req::Var(i) => Req::Var(f(*i)),
            Req::Not(r) => Req::Not(Box::new(r.map_vars(f))),
            Req::All(rs) => Req::All(rs.iter().map(|r| r.map_vars(f)).collect()),
            Req::Any(rs) => Req::Any(rs.iter().map(|r| r.map_vars(f)).collect()),
        }
    }

    fn vars(&self, out: &mut BTreeSet<usize>) {
        match self {
            Req::Const(_) => {}
            Req::Var(i) => {
                out.insert(*i);
            }
            Req::Not(r) => r.vars(out),
            Req::All(rs) | Req::Any(rs) => rs.iter().for_each(|r| r.vars(out)),
        }
    }
}

const POS: u8 = 1;
const NEG: u8 = 2;

/// A work budget in steps, shared by the searches of one proof. Interior mutability lets
/// the searches charge it through shared references.
#[derive(Debug)]
pub(crate) struct Budget {
    limit: u64,
    used: Cell<u64>,
}

impl Budget {
    pub(crate) fn new(limit: u64) -> Budget {
        Budget {
            limit,
            used: Cell::new(0),
        }
    }

    pub(crate) fn used(&self) -> u64 {
        self.used.get()
    }

    /// Charges `n` steps; `Err` once the limit is passed (the budget then stays exhausted).
    pub(crate) fn charge(&self, n: u64) -> Result<(), GiveUp> {
        let used = self.used.get().saturating_add(n);
        if used > self.limit {
            self.used.set(self.limit);
            return Err(GiveUp::Budget(self.limit));
        }
        self.used.set(used);
        Ok(())
    }

    /// A budget of at most `max` of the steps left; [`Budget::settle`] charges what it used.
    pub(crate) fn sub(&self, max: u64) -> Budget {
        Budget::new(max.min(self.limit - self.used.get().min(self.limit)))
    }

    pub(crate) fn settle(&self, child: &Budget) {
        let used = self.used.get().saturating_add(child.used()).min(self.limit);
        self.used.set(used);
    }
}

/// Upper bound on product states one search keeps (a memory bound).
pub(crate) const STATE_LIMIT: usize = 200_000;

/// Why a search gave up; it never answers "no witness" then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GiveUp {
    /// The proof's work budget (in steps) is used up.
    Budget(u64),
    /// More than [`STATE_LIMIT`] product states.
    States,
    /// The alphabet cannot stand for every character (no free filler, or a pattern names
    /// the boundary marker itself).
    Alphabet,
}

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GiveUp::Budget(n) => write!(f, "search budget exhausted ({n} steps per proof)"),
            GiveUp::States => write!(
                f,
                "the resource patterns are too complex to search exhaustively (more than \
                 {STATE_LIMIT} automaton states)"
            ),
            GiveUp::Alphabet => write!(
                f,
                "the patterns use characters the search reserves for itself or leave no \
                 character free to stand for the others"
            ),
        }
    }
}

/// Characters that case-fold to the same thing as `x`, as far as this crate knows:
/// simple upper/lower case mappings plus the few compatibility characters that fold to
/// ASCII letters (Kelvin sign, Angstrom sign).
fn case_variants(x: char) -> Vec<char> {
    let mut out = vec![x];
    let mut push = |c: char| {
        if !out.contains(&c) {
            out.push(c);
        }
    };
    for c in x.to_lowercase().chain(x.to_uppercase()) {
        push(c);
        for d in c.to_lowercase().chain(c.to_uppercase()) {
            push(d);
        }
    }
    for extra in ['\u{212A}', '\u{212B}', '\u{2126}'] {
        push(extra);
    }
    out.retain(|c| ic_eq(*c, x));
    out
}

/// The search alphabet: filler first (so free positions read as `x`), then the literal
/// characters, then the marker if any glob has `Mark` tokens.
fn alphabet(globs: &[&Glob], chars: Chars) -> Result<Vec<char>, GiveUp> {
    let mut literal: BTreeSet<char> = BTreeSet::new();
    literal.insert(':');
    let mut marked = false;
    for g in globs {
        for t in &g.0 {
            match *t {
                Tok::Lit(c) => {
                    literal.insert(c);
                }
                Tok::LitIc(c) => literal.extend(case_variants(c)),
                Tok::Mark => marked = true,
                _ => {}
            }
        }
    }
    if marked && literal.contains(&MARK) {
        // A policy that names the marker character itself: the marker would be ambiguous.
        return Err(GiveUp::Alphabet);
    }
    if let Chars::Only(set) = chars {
        // A finite character set: its characters no pattern names behave alike (one
        // filler stands for them); when the patterns name every one, there is no filler
        // and the alphabet is exactly the set.
        literal.retain(|c| set.contains(*c));
        let filler = set.chars().find(|c| !literal.iter().any(|l| ic_eq(*l, *c)));
        let mut out: Vec<char> = filler.into_iter().collect();
        out.extend(literal.iter().copied());
        if marked {
            out.push(MARK);
        }
        return Ok(out);
    }
    let filler = "xyzqjkwvbfghmnpr0123456789"
        .chars()
        .chain(('\u{100}'..='\u{17F}').filter(|c| c.is_alphanumeric() && is_lower_char(*c)))
        .find(|c| !literal.iter().any(|l| ic_eq(*l, *c)));
    // Without a filler the alphabet would not cover "any other character": give up
    // rather than risk a wrong "no witness".
    let Some(filler) = filler else {
        return Err(GiveUp::Alphabet);
    };
    // Restricted to lower-case strings, the upper-case literals cannot occur; every other
    // lower-case character still behaves like the (lower-case) filler.
    if chars == Chars::Lower {
        literal.retain(|c| is_lower_char(*c));
    }
    let mut out = vec![filler];
    out.extend(literal.iter().copied());
    if marked {
        out.push(MARK);
    }
    Ok(out)
}

const NONE: u32 = u32::MAX;

/// A fast, deterministic hasher for the search's small integer keys (the multiply-rotate
/// scheme of rustc's `FxHasher`); SipHash dominated the search's profile.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(w));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

/// Adds the positions reachable by letting a `*` match nothing (`set` sorted, deduplicated).
fn close(toks: &[Tok], set: &mut Vec<u32>) {
    let mut i = 0;
    while i < set.len() {
        let p = set[i] as usize;
        if p < toks.len() && matches!(toks[p], Tok::Star | Tok::StarNoColon) {
            let q = set[i] + 1;
            if set.get(i + 1) != Some(&q) {
                set.insert(i + 1, q);
            }
        }
        i += 1;
    }
}

/// One input character on a sorted position set (the semantics of `glob::step_with`).
fn step_sparse(toks: &[Tok], transparent: bool, set: &[u32], c: char, out: &mut Vec<u32>) {
    out.clear();
    for &p in set {
        let Some(&t) = toks.get(p as usize) else {
            continue;
        };
        if c == MARK {
            if t == Tok::Mark {
                out.push(p + 1);
            } else if transparent {
                out.push(p);
            }
            continue;
        }
        match t {
            Tok::Lit(x) if c == x => out.push(p + 1),
            Tok::LitIc(x) if ic_eq(c, x) => out.push(p + 1),
            Tok::One => out.push(p + 1),
            Tok::OneNoColon if c != ':' => out.push(p + 1),
            Tok::Star => out.push(p),
            Tok::StarNoColon if c != ':' => out.push(p),
            _ => {}
        }
    }
    out.sort_unstable();
    out.dedup();
    close(toks, out);
}

/// Whether sorted `a` is a subset of sorted `b`.
fn sorted_subset(a: &[u32], b: &[u32]) -> bool {
    let mut j = 0;
    for x in a {
        while j < b.len() && b[j] < *x {
            j += 1;
        }
        if j == b.len() || b[j] != *x {
            return false;
        }
        j += 1;
    }
    true
}

/// Whether every character leads from `set` to a superset of it. With `set` accepting,
/// every extension is then accepted (steps are monotone).
fn closed(
    toks: &[Tok],
    transparent: bool,
    set: &[u32],
    alphabet: &[char],
    budget: &Budget,
) -> Result<bool, GiveUp> {
    let mut next = Vec::with_capacity(set.len() + 1);
    for &c in alphabet {
        budget.charge(2 + set.len() as u64)?;
        step_sparse(toks, transparent, set, c, &mut next);
        if !sorted_subset(set, &next) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A sufficient test that an accepting position set accepts every extension: the set, or
/// its part from one of its last `*` positions on (a suffix of the pattern that runs on
/// its own), is closed under every character.
fn universal(
    toks: &[Tok],
    transparent: bool,
    set: &[u32],
    alphabet: &[char],
    budget: &Budget,
) -> Result<bool, GiveUp> {
    let stars: Vec<usize> = set
        .iter()
        .enumerate()
        .filter(|&(_, &p)| matches!(toks.get(p as usize), Some(Tok::Star | Tok::StarNoColon)))
        .map(|(i, _)| i)
        .collect();
    for &i in stars.iter().rev().take(3) {
        if closed(toks, transparent, &set[i..], alphabet, budget)? {
            return Ok(true);
        }
    }
    closed(toks, transparent, set, alphabet, budget)
}

/// A glob wanted matched only (the requirement is monotone in it) is followed as a single
/// run of its automaton instead of a subset: a witness needs only one accepting run, and
/// single positions are far fewer than subsets (the antichain algorithm for inclusion).
/// A run is a pattern position that no other position of the set it came from reaches by
/// letting a `*` match nothing; [`Runs::dead`] is the run that has no continuation.
struct Runs<'g> {
    toks: &'g [Tok],
    transparent: bool,
    live: Vec<bool>,
    all_star: Vec<bool>,
    kind: Vec<Option<K>>,
    trans: Vec<Option<Box<[u32]>>>,
    alpha: usize,
}

impl<'g> Runs<'g> {
    fn new(glob: &'g Glob, alphabet: &[char]) -> Runs<'g> {
        let d = Dfa::new(glob, alphabet);
        let len = glob.0.len();
        Runs {
            toks: d.toks,
            transparent: d.transparent,
            live: d.live,
            all_star: d.all_star,
            kind: vec![None; len + 2],
            trans: vec![None; (len + 2) * alphabet.len()],
            alpha: alphabet.len(),
        }
    }

    fn dead(&self) -> u32 {
        self.toks.len() as u32 + 1
    }

    fn accepting(&self, p: u32) -> bool {
        let p = p as usize;
        p <= self.toks.len()
            && self.toks[p..]
                .iter()
                .all(|t| matches!(t, Tok::Star | Tok::StarNoColon))
    }

    fn closure_of(&self, p: u32) -> Vec<u32> {
        let mut set = vec![p];
        close(self.toks, &mut set);
        set
    }

    fn ensure_kind(&mut self, p: u32, alphabet: &[char], budget: &Budget) -> Result<(), GiveUp> {
        if self.kind[p as usize].is_some() {
            return Ok(());
        }
        let k = if p == self.dead() || !self.live[p as usize] {
            K::No
        } else if self.all_star[p as usize]
            || (self.accepting(p)
                && universal(
                    self.toks,
                    self.transparent,
                    &self.closure_of(p),
                    alphabet,
                    budget,
                )?)
        {
            K::Yes
        } else {
            K::Maybe
        };
        self.kind[p as usize] = Some(k);
        Ok(())
    }

    fn kind(&self, p: u32) -> K {
        self.kind[p as usize].unwrap_or(K::Maybe)
    }

    fn succ(
        &mut self,
        p: u32,
        ci: usize,
        alphabet: &[char],
        budget: &Budget,
    ) -> Result<&[u32], GiveUp> {
        let slot = p as usize * self.alpha + ci;
        if self.trans[slot].is_none() {
            let out: Vec<u32> = if p == self.dead() {
                vec![p]
            } else {
                let set = self.closure_of(p);
                budget.charge(2 + 2 * set.len() as u64)?;
                let mut next = Vec::new();
                step_sparse(self.toks, self.transparent, &set, alphabet[ci], &mut next);
                // Positions another one reaches through an empty `*` are implied by it.
                let gens: Vec<u32> = next
                    .iter()
                    .enumerate()
                    .filter(|&(i, &q)| {
                        !(i > 0
                            && next[i - 1] + 1 == q
                            && matches!(self.toks[q as usize - 1], Tok::Star | Tok::StarNoColon))
                    })
                    .map(|(_, &q)| q)
                    .collect();
                if gens.is_empty() {
                    vec![self.dead()]
                } else {
                    gens
                }
            };
            for &q in &out {
                self.ensure_kind(q, alphabet, budget)?;
            }
            self.trans[slot] = Some(out.into_boxed_slice());
        }
        Ok(self.trans[slot].as_deref().unwrap_or(&[]))
    }
}

/// One glob in the product: followed as a subset of positions, or as a single run.
enum Auto<'g> {
    Subset(Dfa<'g>),
    Run(Runs<'g>),
}

impl Auto<'_> {
    fn kind(&self, s: u32) -> K {
        match self {
            Auto::Subset(d) => d.kind[s as usize],
            Auto::Run(r) => r.kind(s),
        }
    }

    fn accepting(&self, s: u32) -> bool {
        match self {
            Auto::Subset(d) => d.accepting[s as usize],
            Auto::Run(r) => r.accepting(s),
        }
    }
}

/// One glob's subset automaton, built lazily. Subsets are sorted position lists (they are
/// small even for long patterns).
struct Dfa<'g> {
    toks: &'g [Tok],
    transparent: bool,
    /// Positions from which the end can still be reached over the alphabet.
    live: Vec<bool>,
    /// Positions before the end from which every remaining token is `*` (matches every
    /// extension, markers included for a glob that skips them).
    all_star: Vec<bool>,
    spans: Vec<(u32, u32)>,
    arena: Vec<u32>,
    index: FxMap<Box<[u32]>, u32>,
    trans: Vec<u32>,
    kind: Vec<K>,
    accepting: Vec<bool>,
    alpha: usize,
    scratch: Vec<u32>,
}

impl<'g> Dfa<'g> {
    fn new(glob: &'g Glob, alphabet: &[char]) -> Dfa<'g> {
        let toks = &glob.0[..];
        let transparent = !toks.contains(&Tok::Mark);
        let usable = |t: &Tok| match *t {
            Tok::Lit(c) => alphabet.contains(&c),
            Tok::LitIc(c) => alphabet.iter().any(|a| ic_eq(*a, c)),
            Tok::Mark => alphabet.contains(&MARK),
            _ => true,
        };
        let mut live = vec![false; toks.len() + 1];
        let mut all_star = vec![false; toks.len() + 1];
        live[toks.len()] = true;
        let (mut reach, mut stars) = (true, true);
        for i in (0..toks.len()).rev() {
            reach &= usable(&toks[i]);
            stars &= toks[i] == Tok::Star;
            live[i] = reach;
            all_star[i] = stars && transparent;
        }
        Dfa {
            toks,
            transparent,
            live,
            all_star,
            spans: Vec::new(),
            arena: Vec::new(),
            index: FxMap::default(),
            trans: Vec::new(),
            kind: Vec::new(),
            accepting: Vec::new(),
            alpha: alphabet.len(),
            scratch: Vec::new(),
        }
    }

    fn set(&self, id: u32) -> &[u32] {
        let (s, n) = self.spans[id as usize];
        &self.arena[s as usize..(s + n) as usize]
    }

    fn start(&mut self, alphabet: &[char], budget: &Budget) -> Result<u32, GiveUp> {
        let mut set = vec![0u32];
        close(self.toks, &mut set);
        self.intern(set, alphabet, budget)
    }

    fn intern(&mut self, set: Vec<u32>, alphabet: &[char], budget: &Budget) -> Result<u32, GiveUp> {
        if let Some(&id) = self.index.get(&set[..]) {
            return Ok(id);
        }
        budget.charge(4 + set.len() as u64)?;
        let id = self.kind.len() as u32;
        let end = self.toks.len() as u32;
        let accepting = set.last() == Some(&end);
        let kind = if !set.iter().any(|&p| self.live[p as usize]) {
            K::No
        } else if set.iter().any(|&p| self.all_star[p as usize])
            || (accepting && universal(self.toks, self.transparent, &set, alphabet, budget)?)
        {
            K::Yes
        } else {
            K::Maybe
        };
        self.spans.push((self.arena.len() as u32, set.len() as u32));
        self.arena.extend_from_slice(&set);
        self.index.insert(set.into_boxed_slice(), id);
        self.trans.extend(std::iter::repeat_n(NONE, self.alpha));
        self.kind.push(kind);
        self.accepting.push(accepting);
        Ok(id)
    }

    fn next(
        &mut self,
        id: u32,
        ci: usize,
        alphabet: &[char],
        budget: &Budget,
    ) -> Result<u32, GiveUp> {
        let slot = id as usize * self.alpha + ci;
        let t = self.trans[slot];
        if t != NONE {
            return Ok(t);
        }
        let mut out = std::mem::take(&mut self.scratch);
        let (s, n) = self.spans[id as usize];
        budget.charge(2 + 2 * u64::from(n))?;
        step_sparse(
            self.toks,
            self.transparent,
            &self.arena[s as usize..(s + n) as usize],
            alphabet[ci],
            &mut out,
        );
        let r = match self.index.get(&out[..]) {
            Some(&id) => Ok(id),
            None => self.intern(out.clone(), alphabet, budget),
        };
        self.scratch = out;
        let n = r?;
        self.trans[slot] = n;
        Ok(n)
    }

    fn subset(&self, a: u32, b: u32) -> bool {
        a == b || sorted_subset(self.set(a), self.set(b))
    }
}

/// Finds a short string `s` such that `req` holds of `[globs[i] matches s]`. `Ok(None)`
/// proves that no string satisfies the requirement.
pub(crate) fn find_witness(
    globs: &[Glob],
    req: &Req,
    budget: &Budget,
) -> Result<Option<String>, GiveUp> {
    search(globs, req, budget, Chars::Any)
}

/// The strings a witness search ranges over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Chars {
    /// Every string.
    Any,
    /// Lower-case strings only (every character satisfies `glob::is_lower_char`).
    Lower,
    /// Strings of these characters only.
    Only(&'static str),
}

/// [`find_witness`] over the strings `chars` allows.
pub(crate) fn find_witness_in(
    globs: &[Glob],
    req: &Req,
    budget: &Budget,
    chars: Chars,
) -> Result<Option<String>, GiveUp> {
    search(globs, req, budget, chars)
}

/// The first of `candidates` that satisfies `req`, checked by simulation (cheap obvious
/// witnesses, tried before a search).
pub(crate) fn first_candidate(
    globs: &[Glob],
    req: &Req,
    candidates: &[String],
    budget: &Budget,
) -> Result<Option<String>, GiveUp> {
    let total: usize = globs.iter().map(Glob::len).sum();
    for c in candidates {
        budget.charge((c.len() as u64 + 1) * (globs.len() as u64 + total as u64 / 64 + 1))?;
        let m: Vec<bool> = globs.iter().map(|g| g.matches(c)).collect();
        if req.eval(&m) {
            return Ok(Some(c.clone()));
        }
    }
    Ok(None)
}

fn search(
    globs: &[Glob],
    req: &Req,
    budget: &Budget,
    chars: Chars,
) -> Result<Option<String>, GiveUp> {
    // Only the globs the requirement mentions take part, renumbered.
    let mut used = BTreeSet::new();
    req.vars(&mut used);
    let used: Vec<usize> = used.into_iter().collect();
    let pos_of = |i: usize| used.iter().position(|&u| u == i).unwrap_or(0);
    let req = req.map_vars(&pos_of);
    let parts: Vec<&Glob> = used.iter().map(|&i| &globs[i]).collect();
    let alphabet = alphabet(&parts, chars)?;
    if let Req::Const(b) = req {
        return Ok(b.then(String::new));
    }
    let n = parts.len();
    let mut pol = vec![0u8; n];
    req.polarity(true, &mut pol);
    let neg: Vec<usize> = (0..n).filter(|&i| pol[i] == NEG).collect();
    let keyed: Vec<usize> = (0..n).filter(|&i| pol[i] != NEG).collect();

    let mut autos: Vec<Auto> = parts
        .iter()
        .zip(&pol)
        .map(|(g, &p)| {
            if p == POS {
                Auto::Run(Runs::new(g, &alphabet))
            } else {
                Auto::Subset(Dfa::new(g, &alphabet))
            }
        })
        .collect();
    let mut start = Vec::with_capacity(n);
    for a in autos.iter_mut() {
        start.push(match a {
            Auto::Subset(d) => d.start(&alphabet, budget)?,
            Auto::Run(r) => {
                r.ensure_kind(0, &alphabet, budget)?;
                0
            }
        });
    }
    let accepting = |autos: &[Auto], st: &[u32]| -> Vec<bool> {
        st.iter().zip(autos).map(|(&s, a)| a.accepting(s)).collect()
    };
    let kinds = |autos: &[Auto], st: &[u32]| -> Vec<K> {
        st.iter().zip(autos).map(|(&s, a)| a.kind(s)).collect()
    };
    if req.eval(&accepting(&autos, &start)) {
        return Ok(Some(String::new()));
    }
    if req.eval3(&kinds(&autos, &start)) == K::No {
        return Ok(None);
    }
    let runs: Vec<usize> = (0..n)
        .filter(|&i| matches!(autos[i], Auto::Run(_)))
        .collect();
    let keyed_sets: Vec<usize> = keyed
        .iter()
        .copied()
        .filter(|&i| matches!(autos[i], Auto::Subset(_)))
        .collect();

    // Product states: `arena[i*n..]`; `seen` maps a state to its index, or NONE if dropped.
    let mut arena: Vec<u32> = start.clone();
    let mut parent: Vec<(u32, u32)> = vec![(NONE, 0)];
    let mut removed: Vec<bool> = vec![false];
    let mut seen: FxMap<Box<[u32]>, u32> = FxMap::default();
    seen.insert(start.clone().into_boxed_slice(), 0);
    // Antichains of the kept states, by their positive (and mixed) part.
    let mut chains: FxMap<Box<[u32]>, Vec<u32>> = FxMap::default();
    if !neg.is_empty() {
        let key: Box<[u32]> = keyed.iter().map(|&i| start[i]).collect();
        chains.insert(key, vec![0]);
    }
    let mut queue = VecDeque::from([0u32]);
    let mut next = vec![0u32; n];
    let mut lists: Vec<Vec<u32>> = vec![Vec::new(); n];
    while let Some(cur) = queue.pop_front() {
        if removed[cur as usize] {
            continue;
        }
        for ci in 0..alphabet.len() {
            budget.charge(n as u64)?;
            let here = |i: usize| arena[cur as usize * n + i];
            // The wanted globs first: runs (each may branch) and wanted subsets.
            for &i in &runs {
                let Auto::Run(r) = &mut autos[i] else {
                    continue;
                };
                lists[i].clear();
                lists[i].extend_from_slice(r.succ(here(i), ci, &alphabet, budget)?);
            }
            for &i in &keyed_sets {
                let Auto::Subset(d) = &mut autos[i] else {
                    continue;
                };
                next[i] = d.next(here(i), ci, &alphabet, budget)?;
            }
            // Every combination of run successors that the wanted part does not rule out.
            let mut combos: Vec<Vec<u32>> = Vec::new();
            let mut idx = vec![0usize; runs.len()];
            'odometer: loop {
                budget.charge(1 + runs.len() as u64)?;
                for (k, &i) in runs.iter().enumerate() {
                    next[i] = lists[i][idx[k]];
                }
                let mut ks = vec![K::Maybe; n];
                for &j in &keyed {
                    ks[j] = autos[j].kind(next[j]);
                }
                if req.eval3(&ks) != K::No {
                    combos.push(runs.iter().map(|&i| next[i]).collect());
                }
                let mut k = runs.len();
                loop {
                    if k == 0 {
                        break 'odometer;
                    }
                    k -= 1;
                    idx[k] += 1;
                    if idx[k] < lists[runs[k]].len() {
                        break;
                    }
                    idx[k] = 0;
                }
            }
            if combos.is_empty() {
                continue;
            }
            for &i in &neg {
                let Auto::Subset(d) = &mut autos[i] else {
                    continue;
                };
                next[i] = d.next(here(i), ci, &alphabet, budget)?;
            }
            for combo in combos {
                for (k, &i) in runs.iter().enumerate() {
                    next[i] = combo[k];
                }
                if seen.contains_key(&next[..]) {
                    continue;
                }
                if seen.len() >= STATE_LIMIT {
                    return Err(GiveUp::States);
                }
                if req.eval(&accepting(&autos, &next)) {
                    let mut out = vec![alphabet[ci]];
                    let mut at = cur;
                    while at != 0 {
                        let (p, c) = parent[at as usize];
                        out.push(alphabet[c as usize]);
                        at = p;
                    }
                    out.reverse();
                    return Ok(Some(out.into_iter().collect()));
                }
                if req.eval3(&kinds(&autos, &next)) == K::No {
                    seen.insert(next.clone().into_boxed_slice(), NONE);
                    continue;
                }
                let id = removed.len() as u32;
                if !neg.is_empty() {
                    let key: Box<[u32]> = keyed.iter().map(|&i| next[i]).collect();
                    let chain = chains.entry(key).or_default();
                    let mut subsumed = false;
                    let mut k = 0;
                    let subset = |g: usize, a: u32, b: u32| match &autos[g] {
                        Auto::Subset(d) => d.subset(a, b),
                        Auto::Run(_) => a == b,
                    };
                    while k < chain.len() {
                        budget.charge(1 + neg.len() as u64)?;
                        let other = chain[k] as usize;
                        let o = &arena[other * n..other * n + n];
                        if neg.iter().all(|&g| subset(g, o[g], next[g])) {
                            subsumed = true;
                            break;
                        }
                        if neg.iter().all(|&g| subset(g, next[g], o[g])) {
                            removed[other] = true;
                            chain.swap_remove(k);
                            continue;
                        }
                        k += 1;
                    }
                    if subsumed {
                        seen.insert(next.clone().into_boxed_slice(), NONE);
                        continue;
                    }
                    chain.push(id);
                }
                arena.extend_from_slice(&next);
                parent.push((cur, ci as u32));
                removed.push(false);
                seen.insert(next.clone().into_boxed_slice(), id);
                queue.push_back(id);
            }
        }
    }
    Ok(None)
}
