//! What every collection task shares: the call budget (`--concurrency`), the call counter, the
//! error list for the manifest, and writing files in the snapshot layout.
//!
//! Invariants: every API call goes through [`Scope::try_call`] (so it is bounded and counted);
//! a failed call becomes one `errors` entry and its file is not written; a file is written only
//! with all pages of its call merged.
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use aws_sdk_ec2::config::http::HttpResponse;
use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};
use serde::Serialize;
use serde_json::Value;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::convert::{listing, to_cli_text, ToCli};

/// One operation, named as the AWS CLI names it: files go to `<service>/<name>...json`, errors
/// say `<service>:<name>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Op {
    pub service: &'static str,
    pub name: &'static str,
}

impl Op {
    pub const fn new(service: &'static str, name: &'static str) -> Op {
        Op { service, name }
    }

    pub fn id(&self) -> String {
        format!("{}:{}", self.service, self.name)
    }
}

/// One entry of `manifest.json` `errors`. `resource` (an extension of the layout) names the
/// resource of a per-resource call, e.g. the policy of `iot:get-policy`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct ErrorEntry {
    pub account: String,
    pub region: String,
    pub operation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    pub message: String,
}

/// State shared by all tasks of one run.
#[derive(Debug)]
pub struct Run {
    out: PathBuf,
    budget: Semaphore,
    calls: AtomicUsize,
    files: AtomicUsize,
    errors: Mutex<Vec<ErrorEntry>>,
    tallies: Mutex<HashMap<String, Arc<Tally>>>,
    /// `--dns-extensions`: Route 53 Profiles and DNS Firewall are collected too.
    dns_extensions: std::sync::atomic::AtomicBool,
}

/// What one account's calls came to, for the progress lines.
#[derive(Debug, Default)]
pub struct Tally {
    calls: AtomicUsize,
    errors: AtomicUsize,
    first_call: OnceLock<Instant>,
}

impl Tally {
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::Relaxed)
    }

    pub fn errors(&self) -> usize {
        self.errors.load(Ordering::Relaxed)
    }

    /// When the account's first call started (after waiting for the budget), if it made one.
    pub fn first_call(&self) -> Option<Instant> {
        self.first_call.get().copied()
    }
}

impl Run {
    pub fn new(out: &Path, concurrency: usize) -> Arc<Run> {
        Arc::new(Run {
            out: out.to_path_buf(),
            budget: Semaphore::new(concurrency.max(1)),
            calls: AtomicUsize::new(0),
            files: AtomicUsize::new(0),
            errors: Mutex::new(Vec::new()),
            tallies: Mutex::new(HashMap::new()),
            dns_extensions: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// Collect the DNS layout extensions (Route 53 Profiles, DNS Firewall) too.
    pub fn set_dns_extensions(&self, on: bool) {
        self.dns_extensions.store(on, Ordering::Relaxed);
    }

    /// The tally of `account` (created on first use).
    pub fn tally(&self, account: &str) -> Arc<Tally> {
        let mut tallies = match self.tallies.lock() {
            Ok(t) => t,
            Err(poisoned) => poisoned.into_inner(),
        };
        Arc::clone(tallies.entry(account.to_owned()).or_default())
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::Relaxed)
    }

    pub fn files(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    pub fn error_count(&self) -> usize {
        self.errors.lock().map(|e| e.len()).unwrap_or(0)
    }

    /// The errors, sorted (account, region, operation, ...), so that manifests compare.
    pub fn errors(&self) -> Vec<ErrorEntry> {
        let mut errors = match self.errors.lock() {
            Ok(errors) => errors.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        errors.sort();
        errors
    }

    pub fn record(&self, entry: ErrorEntry) {
        match self.errors.lock() {
            Ok(mut errors) => errors.push(entry),
            Err(poisoned) => poisoned.into_inner().push(entry),
        }
    }

    /// Counts one call made outside a [`Scope`] (the caller's own `sts:get-caller-identity`).
    pub fn count_call(&self) {
        self.calls.fetch_add(1, Ordering::Relaxed);
    }
}

/// One account and region (or `global`) of a run: where its files go and whom errors name.
#[derive(Debug, Clone)]
pub struct Scope {
    run: Arc<Run>,
    account: Arc<str>,
    region: Arc<str>,
    tally: Arc<Tally>,
}

impl Scope {
    /// Does this run collect the DNS layout extensions?
    pub fn dns_extensions(&self) -> bool {
        self.run.dns_extensions.load(Ordering::Relaxed)
    }

    pub fn new(run: &Arc<Run>, account: &str, region: &str) -> Scope {
        Scope {
            run: Arc::clone(run),
            account: account.into(),
            region: region.into(),
            tally: run.tally(account),
        }
    }

    /// Records a failed call in the manifest's `errors`.
    pub fn fail(&self, operation: String, resource: Option<&str>, message: impl Into<String>) {
        self.tally.errors.fetch_add(1, Ordering::Relaxed);
        self.run.record(ErrorEntry {
            account: self.account.to_string(),
            region: self.region.to_string(),
            operation,
            resource: resource.map(str::to_owned),
            message: message.into(),
        });
    }

    /// Counts one call made for this scope outside [`Self::try_call`] (the `sts:AssumeRole` a
    /// credentials provider makes).
    pub fn count_call(&self) {
        self.run.calls.fetch_add(1, Ordering::Relaxed);
        self.tally.calls.fetch_add(1, Ordering::Relaxed);
    }

    /// One API call within the concurrency budget, counted; the error as the manifest says it.
    pub async fn try_call<O, E, Fut>(&self, fut: Fut) -> Result<O, String>
    where
        Fut: Future<Output = Result<O, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        // The semaphore is never closed; if it were, run the call unbounded rather than lose it.
        let permit = self.run.budget.acquire().await.ok();
        self.run.calls.fetch_add(1, Ordering::Relaxed);
        self.tally.calls.fetch_add(1, Ordering::Relaxed);
        self.tally.first_call.get_or_init(Instant::now);
        let result = fut.await;
        drop(permit);
        result.map_err(|err| describe(&err))
    }

    /// [`Self::try_call`], recording a failure under `op` (and `resource`).
    pub async fn call<O, E, Fut>(&self, op: Op, resource: Option<&str>, fut: Fut) -> Option<O>
    where
        Fut: Future<Output = Result<O, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        match self.try_call(fut).await {
            Ok(out) => Some(out),
            Err(message) => {
                self.fail(op.id(), resource, message);
                None
            }
        }
    }

    /// All pages of a paginated call: `call(token)` for each page, `next(&page)` the next
    /// token (`None` or empty when done). `None` when any page failed (recorded).
    pub async fn pages<O, E, Tok, F, Fut>(
        &self,
        op: Op,
        resource: Option<&str>,
        mut call: F,
        next: impl Fn(&O) -> Option<Tok>,
    ) -> Option<Vec<O>>
    where
        F: FnMut(Option<Tok>) -> Fut,
        Fut: Future<Output = Result<O, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        Tok: Clone + Eq + Hash,
    {
        let mut pages = Vec::new();
        let mut token = None;
        let mut seen = HashSet::new();
        loop {
            let page = self.call(op, resource, call(token.take())).await?;
            let following = next(&page);
            pages.push(page);
            match following {
                None => return Some(pages),
                Some(t) => {
                    if !seen.insert(t.clone()) {
                        self.fail(
                            op.id(),
                            resource,
                            "the service returned the same page token twice; the listing is incomplete",
                        );
                        return None;
                    }
                    token = Some(t);
                }
            }
        }
    }

    /// A list operation: all pages, written as `{"<key>": [...]}`; the items for per-resource
    /// calls. `None` when a call failed (recorded, no file).
    pub async fn listing<O, T, E, Tok, F, Fut>(
        &self,
        op: Op,
        resource: Option<&str>,
        key: &str,
        call: F,
        next: impl Fn(&O) -> Option<Tok>,
        items: impl Fn(O) -> Option<Vec<T>>,
    ) -> Option<Vec<T>>
    where
        T: ToCli,
        F: FnMut(Option<Tok>) -> Fut,
        Fut: Future<Output = Result<O, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        Tok: Clone + Eq + Hash,
    {
        self.listing_with(op, resource, key, call, next, items, |_| None)
            .await
    }

    /// [`Self::listing`] for the operations whose CLI output also keeps a member of the first
    /// page after the merged list (botocore's `non_aggregate_keys`, e.g. Route 53 Resolver's
    /// `MaxResults`): `first(&page)` gives it.
    #[allow(clippy::too_many_arguments)]
    pub async fn listing_with<O, T, E, Tok, F, Fut>(
        &self,
        op: Op,
        resource: Option<&str>,
        key: &str,
        call: F,
        next: impl Fn(&O) -> Option<Tok>,
        items: impl Fn(O) -> Option<Vec<T>>,
        first: impl Fn(&O) -> Option<(&'static str, Value)>,
    ) -> Option<Vec<T>>
    where
        T: ToCli,
        F: FnMut(Option<Tok>) -> Fut,
        Fut: Future<Output = Result<O, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        Tok: Clone + Eq + Hash,
    {
        let pages = self.pages(op, resource, call, next).await?;
        let extra = pages.first().and_then(&first);
        let all: Vec<T> = pages
            .into_iter()
            .flat_map(|page| items(page).unwrap_or_default())
            .collect();
        let mut file = listing(key, &all);
        if let (Some((name, value)), Value::Object(map)) = (extra, &mut file) {
            map.insert(name.to_owned(), value);
        }
        self.write(op, resource, &file);
        Some(all)
    }

    /// Writes `<account>/<region>/<service>/<op>.json`, or `<op>/<key>.json` for a
    /// per-resource call. A key that cannot be a file name, or a failed write, is an error.
    pub fn write(&self, op: Op, key: Option<&str>, value: &Value) {
        let mut path = self
            .run
            .out
            .join(&*self.account)
            .join(&*self.region)
            .join(op.service);
        match key {
            None => path.push(format!("{}.json", op.name)),
            Some(key) => {
                if !is_file_key(key) {
                    self.fail(
                        op.id(),
                        Some(key),
                        format!("the resource key {key:?} cannot be a file name; not written"),
                    );
                    return;
                }
                path.push(op.name);
                path.push(format!("{key}.json"));
            }
        }
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, to_cli_text(value)));
        match written {
            Ok(()) => {
                self.run.files.fetch_add(1, Ordering::Relaxed);
            }
            Err(err) => self.fail(
                op.id(),
                key,
                format!("cannot write {}: {err}", path.display()),
            ),
        }
    }

    /// Waits for spawned tasks; a task that died (a bug, never user input) is recorded, not
    /// propagated, so that the rest of the run still lands.
    pub async fn drain(&self, set: &mut JoinSet<()>) {
        while let Some(joined) = set.join_next().await {
            if let Err(err) = joined {
                self.fail(
                    "pathproof:collect".to_owned(),
                    None,
                    format!("internal error: a collection task failed: {err}"),
                );
            }
        }
    }
}

/// A resource key is used as a file name: no path separators, nothing empty or odd.
pub fn is_file_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 200
        && !key.contains(['/', '\\', '\0'])
        && !key.chars().any(char::is_control)
}

/// An error and its causes, each said once: `dispatch failure: io error: ... refused`.
fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cause = Some(err);
    while let Some(e) = cause {
        let text = e.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        cause = e.source();
    }
    parts.join(": ")
}

/// Messages are kept short: a server may answer with a whole HTML page.
const MAX_MESSAGE: usize = 600;

/// An SDK error as one line for the manifest: `Code: message (HTTP status)` when the service
/// answered with an AWS error, the status alone when it answered without one (a proxy, a server
/// that does not implement the call), the error chain otherwise (timeouts, DNS, credentials).
pub fn describe<E>(err: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let status = err.raw_response().map(|r| r.status().as_u16());
    let text = match (err.code(), err.message(), status) {
        (Some(code), Some(message), _) => format!("{code}: {message}"),
        (Some(code), None, _) => code.to_owned(),
        (None, _, Some(status)) => {
            format!("the service answered HTTP {status} without an AWS error code")
        }
        (None, _, None) => error_chain(err),
    };
    let text = match status {
        Some(status) if err.code().is_some() => format!("{text} (HTTP {status})"),
        _ => text,
    };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > MAX_MESSAGE {
        let cut: String = text.chars().take(MAX_MESSAGE).collect();
        format!("{cut}…")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use aws_sdk_ec2::operation::describe_vpcs::DescribeVpcsError;

    type Answer = Result<u32, SdkError<DescribeVpcsError, HttpResponse>>;

    fn block_on<T>(f: impl Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn pages_follow_the_token_until_the_last_page() {
        let dir = tempfile::tempdir().unwrap();
        let run = Run::new(dir.path(), 2);
        let scope = Scope::new(&run, "111111111111", "us-west-2");
        // Page n answers n and points at page n + 1, up to 3.
        let pages = block_on(scope.pages(
            Op::new("ec2", "describe-vpcs"),
            None,
            |token: Option<u32>| std::future::ready(Answer::Ok(token.unwrap_or(1))),
            |page: &u32| (*page < 3).then_some(page + 1),
        ));
        assert_eq!(pages, Some(vec![1, 2, 3]));
        assert_eq!(run.calls(), 3);
        assert!(run.errors().is_empty());
    }

    #[test]
    fn a_repeated_page_token_is_an_error_not_an_endless_loop() {
        let dir = tempfile::tempdir().unwrap();
        let run = Run::new(dir.path(), 2);
        let scope = Scope::new(&run, "111111111111", "us-west-2");
        let pages = block_on(scope.pages(
            Op::new("ec2", "describe-vpcs"),
            None,
            |_: Option<String>| std::future::ready(Answer::Ok(0)),
            |_: &u32| Some("same".to_owned()),
        ));
        assert_eq!(pages, None);
        assert_eq!(run.calls(), 2);
        let errors = run.errors();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].operation, "ec2:describe-vpcs");
        assert!(errors[0].message.contains("same page token"));
    }

    #[test]
    fn a_failed_page_fails_the_listing_and_names_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let run = Run::new(dir.path(), 1);
        let scope = Scope::new(&run, "111111111111", "eu-west-1");
        let items = block_on(scope.listing(
            Op::new("ec2", "describe-vpcs"),
            None,
            "Vpcs",
            |_: Option<String>| {
                std::future::ready(Answer::Err(SdkError::timeout_error("took too long")))
            },
            |_: &u32| None::<String>,
            |_| Some(Vec::<String>::new()),
        ));
        assert_eq!(items, None);
        let errors = run.errors();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].region, "eu-west-1");
        assert!(
            errors[0].message.contains("took too long"),
            "{}",
            errors[0].message
        );
        assert_eq!(run.files(), 0, "no file for a failed call");
        assert!(!dir
            .path()
            .join("111111111111/eu-west-1/ec2/describe-vpcs.json")
            .exists());
    }

    #[test]
    fn errors_read_code_message_and_status() {
        use aws_sdk_ec2::error::ErrorMetadata;
        use aws_smithy_types::body::SdkBody;
        let response =
            |status: u16| HttpResponse::new(status.try_into().unwrap(), SdkBody::empty());
        let denied = SdkError::service_error(
            DescribeVpcsError::generic(
                ErrorMetadata::builder()
                    .code("UnauthorizedOperation")
                    .message("You are not authorized\n to perform this operation.")
                    .build(),
            ),
            response(403),
        );
        assert_eq!(
            describe(&denied),
            "UnauthorizedOperation: You are not authorized to perform this operation. (HTTP 403)"
        );
        let bare = SdkError::service_error(
            DescribeVpcsError::generic(ErrorMetadata::builder().build()),
            response(404),
        );
        assert_eq!(
            describe(&bare),
            "the service answered HTTP 404 without an AWS error code"
        );
        let long = SdkError::<DescribeVpcsError, HttpResponse>::timeout_error("x".repeat(5000));
        assert!(describe(&long).chars().count() <= MAX_MESSAGE + 1);
    }

    #[test]
    fn file_keys_cannot_escape_their_folder() {
        assert!(is_file_key("tgw-rtb-0123"));
        assert!(is_file_key("my.policy@v2"));
        assert!(is_file_key("..")); // becomes "...json", inside the folder
        assert!(!is_file_key(""));
        assert!(!is_file_key("../x"));
        assert!(!is_file_key("a\\b"));
        assert!(!is_file_key("a\nb"));
    }

    #[test]
    fn writes_land_in_the_layout_and_bad_keys_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let run = Run::new(dir.path(), 1);
        let scope = Scope::new(&run, "111111111111", "us-west-2");
        let op = Op::new("ec2", "search-transit-gateway-routes");
        scope.write(op, Some("tgw-rtb-1"), &serde_json::json!({"Routes": []}));
        scope.write(op, Some("../../evil"), &serde_json::json!({}));
        let file = dir
            .path()
            .join("111111111111/us-west-2/ec2/search-transit-gateway-routes/tgw-rtb-1.json");
        assert_eq!(
            std::fs::read_to_string(file).unwrap(),
            "{\n    \"Routes\": []\n}\n"
        );
        let errors = run.errors();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].operation, "ec2:search-transit-gateway-routes");
        assert_eq!(errors[0].resource.as_deref(), Some("../../evil"));
        assert_eq!(run.files(), 1);
    }
}
