//! The pipeline, stage by stage: load → decode → resolve → figures → check.
//! Every file is loaded and decoded and every problem collected; a plan
//! with a file that does not parse goes no further than decoding.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::check::{self, Context};
use crate::codes::Code;
use crate::config::{Config, FrameworkMode};
use crate::decode::{self, Decoder};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::figures::{self, PlanFigures};
use crate::framework::Framework;
use crate::help_syntax;
use crate::load::guard::Guard;
use crate::load::{self, LoadError, PlanFiles};
use crate::model::Plan;
use crate::resolve::{self, Index};
use crate::source::{FileId, SourceFile, SourceMap, Span};

pub struct CompiledPlan {
    pub plan: Plan,
    pub figures: PlanFigures,
}

pub struct Compilation {
    /// The repository root: where `planc.toml` is, else the current directory.
    pub root: PathBuf,
    pub sources: SourceMap,
    pub framework: Framework,
    pub plans: Vec<Arc<CompiledPlan>>,
    pub diagnostics: Diagnostics,
    /// Plans that could not be compiled (a file that does not parse, no
    /// header): their figures are missing from every roll-up, which is
    /// then unknown.
    pub unreadable: Vec<PathBuf>,
}

/// The repository root for `paths`: where `planc.toml` is, else the
/// current directory.
pub fn repository_root(paths: &[PathBuf]) -> PathBuf {
    let start = paths
        .first()
        .map_or_else(|| PathBuf::from("."), Clone::clone);
    load::find_config(&start)
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Which plans to compile: the paths given, else those `planc.toml` names,
/// else `./plans`.
fn plan_paths(paths: &[PathBuf], config: &Config) -> Vec<PathBuf> {
    if !paths.is_empty() {
        return paths.to_vec();
    }
    if !config.plans.is_empty() {
        return config.plans.clone();
    }
    vec![config.root.join("plans")]
}

fn load_framework(
    config: &Config,
    guard: &Guard,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Framework {
    let Some(path) = &config.framework else {
        return Framework::built_in();
    };
    // Read like a plan file: inside the repository, within the size limit.
    let text = match load::read_text(path, config.max_file_bytes, guard) {
        Ok(text) => text,
        Err(e) => {
            diags.push(
                load::path_diagnostic(
                    sources,
                    path,
                    e.code(),
                    format!("the framework file: {}", e.message()),
                )
                .label("cannot be read")
                .help("check the `framework` path in planc.toml"),
            );
            return Framework::built_in();
        }
    };
    framework_from_text(config, path, text, sources, diags)
}

/// The framework of `config` with the text of its framework file (from
/// disk, or from a commit for `diff`) applied: extending or replacing the
/// built-in one. A file that does not parse is a diagnostic and leaves the
/// built-in framework.
pub(crate) fn framework_from_text(
    config: &Config,
    path: &Path,
    text: String,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Framework {
    let mut framework = Framework::built_in();
    let parsed: Result<Framework, _> = toml::from_str(&text);
    let file = sources.add(path.to_path_buf(), text);
    match parsed {
        Ok(own) => match config.framework_mode {
            FrameworkMode::Extend => framework.extend(own),
            FrameworkMode::Replace => framework = own,
        },
        Err(e) => {
            let range = e.span().unwrap_or(0..0);
            diags.push(
                Diagnostic::new(
                    Code::Syntax,
                    Span::new(file, range.start, range.end),
                    format!("invalid framework file: {}", e.message().trim()),
                )
                .label(e.message().trim().to_string())
                .help("a framework file has `[[outcomes]]` (number, key, title, aliases, aims) and `[judgements]`"),
            );
        }
    }
    framework
}

pub fn compile(paths: &[PathBuf], as_of: Date) -> Result<Compilation, LoadError> {
    Session::new(paths.to_vec(), as_of).compile()
}

/// Compiles the same paths again and again (a preview server, `--watch`),
/// recompiling only the plans whose files changed: a plan is taken from the
/// last compilation when its files are the same files, unchanged on disk
/// (size, modification time, inode), numbered from the same file id, under
/// the same planc.toml and framework. The checks across plans, levels and
/// help texts are applied afresh each time.
pub struct Session {
    paths: Vec<PathBuf>,
    as_of: Date,
    settings: Settings,
    /// The texts of planc.toml and the framework the cache was made under.
    basis: Vec<Arc<SourceFile>>,
    cache: HashMap<PathBuf, Slot>,
    /// How many plans the last compilation compiled rather than reused.
    pub recompiled: usize,
}

struct Slot {
    first: u32,
    stamps: Vec<(PathBuf, Option<Stamp>)>,
    files: Vec<Arc<SourceFile>>,
    result: Result<Arc<CompiledPlan>, PathBuf>,
    diags: Diagnostics,
    allows: Vec<check::allow::FileAllows>,
}

/// What tells a file changed without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    inode: u64,
}

fn stamp(path: &Path) -> Option<Stamp> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    Some(Stamp {
        len: meta.len(),
        modified: meta.modified().ok(),
        inode: meta.ino(),
    })
}

impl Session {
    pub fn new(paths: Vec<PathBuf>, as_of: Date) -> Self {
        Session {
            paths,
            as_of,
            settings: Settings::default(),
            basis: Vec::new(),
            cache: HashMap::new(),
            recompiled: 0,
        }
    }

    pub fn with_settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    pub fn compile(&mut self) -> Result<Compilation, LoadError> {
        let mut sources = SourceMap::default();
        let mut diags = Diagnostics::default();
        let start = self
            .paths
            .first()
            .filter(|p| p.as_os_str() != "-")
            .map_or_else(|| PathBuf::from("."), Clone::clone);
        let config_path = self
            .settings
            .config
            .clone()
            .or_else(|| load::find_config(&start));
        let mut config = match config_path {
            Some(path) => load::read_config(&path, &mut sources, &mut diags),
            None => Config::new(PathBuf::from(".")),
        };
        // The command line's levels over planc.toml's, under a plan's own.
        config.checks.extend(self.settings.levels.iter().cloned());
        if let Some((name, text)) = &self.settings.stdin {
            return Ok(self.compile_text(config, name, text, sources, diags));
        }
        let guard = Guard::new(&config.root, &self.paths);
        let framework = load_framework(&config, &guard, &mut sources, &mut diags);
        let basis = sources.files().to_vec();
        let same_basis = basis.len() == self.basis.len()
            && basis
                .iter()
                .zip(&self.basis)
                .all(|(a, b)| a.path == b.path && a.text == b.text);
        if !same_basis {
            self.cache.clear();
            self.basis = basis;
        }
        let found = load::find(
            &plan_paths(&self.paths, &config),
            &guard,
            &mut sources,
            &mut diags,
        )?;
        // File ids are fixed in advance so that the files join the source
        // map in plan order; a plan is stamped before it is read, so that a
        // change while it is read is seen next time.
        let mut next = sources.next_id().0;
        let mut reused = Vec::new();
        let mut stale = Vec::new();
        for plan in found {
            let first = next;
            next = next.saturating_add(u32::try_from(plan.files.len()).unwrap_or(u32::MAX));
            let stamps: Vec<(PathBuf, Option<Stamp>)> =
                plan.files.iter().map(|f| (f.clone(), stamp(f))).collect();
            match self.cache.remove(&plan.path) {
                Some(slot)
                    if slot.first == first
                        && slot.stamps == stamps
                        && stamps.iter().all(|(_, s)| s.is_some()) =>
                {
                    reused.push((plan.path, slot))
                }
                _ => stale.push((plan, first, stamps)),
            }
        }
        self.recompiled = stale.len();
        let (config_ref, framework_ref, as_of) = (&config, &framework, self.as_of);
        let guard_ref = &guard;
        let compiled: Vec<(PathBuf, Slot)> = stale
            .into_par_iter()
            .map(|(plan, first, stamps)| {
                let path = plan.path.clone();
                let mut plan_diags = Diagnostics::default();
                let (files, plan_files) = load::read_plan(
                    plan,
                    first,
                    config_ref.max_file_bytes,
                    guard_ref,
                    &mut plan_diags,
                );
                let result = compile_plan(
                    plan_files,
                    config_ref,
                    framework_ref,
                    as_of,
                    &mut plan_diags,
                )
                .map(Arc::new)
                .ok_or_else(|| path.clone());
                let allows = files
                    .iter()
                    .enumerate()
                    .filter_map(|(i, file)| {
                        let id = FileId(first.saturating_add(u32::try_from(i).unwrap_or(u32::MAX)));
                        check::allow::scan(id, file, &mut plan_diags)
                    })
                    .collect();
                let files = release_early(files, first, result.as_ref().ok(), &plan_diags);
                let slot = Slot {
                    first,
                    stamps,
                    files,
                    result,
                    diags: plan_diags,
                    allows,
                };
                (path, slot)
            })
            .collect();
        let mut slots: Vec<(PathBuf, Slot)> = reused.into_iter().chain(compiled).collect();
        slots.sort_by_key(|(_, slot)| slot.first);
        let mut plans = Vec::new();
        let mut unreadable = Vec::new();
        let mut allows = Vec::new();
        // Plans no longer found are forgotten.
        self.cache.clear();
        for (path, slot) in slots {
            for file in &slot.files {
                sources.push(Arc::clone(file));
            }
            diags.extend(slot.diags.clone());
            allows.extend(slot.allows.iter().cloned());
            match &slot.result {
                Ok(plan) => plans.push(Arc::clone(plan)),
                Err(path) => unreadable.push(path.clone()),
            }
            self.cache.insert(path, slot);
        }
        Ok(finish(
            config, framework, sources, diags, plans, unreadable, &allows,
        ))
    }

    /// One plan given as text (read from standard input): planc.toml and
    /// the framework apply as to any plan; nothing is kept for next time.
    fn compile_text(
        &self,
        config: Config,
        name: &Path,
        text: &str,
        mut sources: SourceMap,
        mut diags: Diagnostics,
    ) -> Compilation {
        let guard = Guard::new(&config.root, &[]);
        let framework = load_framework(&config, &guard, &mut sources, &mut diags);
        let mut plan = PlanFiles {
            path: name.to_path_buf(),
            files: Vec::new(),
            incomplete: false,
        };
        match load::parse_text(name, text.to_string(), &mut sources, &mut diags) {
            Some(parsed) => plan.files.push(parsed),
            None => plan.incomplete = true,
        }
        let file = FileId(sources.next_id().0 - 1);
        let allows: Vec<_> = check::allow::scan(file, sources.get(file), &mut diags)
            .into_iter()
            .collect();
        let (mut plans, mut unreadable) = (Vec::new(), Vec::new());
        match compile_plan(plan, &config, &framework, self.as_of, &mut diags) {
            Some(compiled) => plans.push(Arc::new(compiled)),
            None => unreadable.push(name.to_path_buf()),
        }
        finish(
            config, framework, sources, diags, plans, unreadable, &allows,
        )
    }
}

/// A plan's files once it is compiled, keeping the text only of those a
/// report may show: the ones its diagnostics point into, and the ones the
/// checks across plans may point into later (the plan header, countywide
/// items, items citing a shared id). The rest keep their line numbers.
fn release_early(
    files: Vec<SourceFile>,
    first: u32,
    plan: Option<&Arc<CompiledPlan>>,
    diags: &Diagnostics,
) -> Vec<Arc<SourceFile>> {
    let mut keep = vec![false; files.len()];
    let mut mark = |file: FileId| {
        if let Some(k) = file
            .0
            .checked_sub(first)
            .and_then(|i| keep.get_mut(i as usize))
        {
            *k = true;
        }
    };
    for d in diags.iter() {
        mark(d.primary.span.file);
        d.secondary.iter().for_each(|l| mark(l.span.file));
    }
    match plan {
        Some(compiled) => {
            let plan = &compiled.plan;
            mark(plan.header_span.file);
            mark(plan.id.span.file);
            for (section, _, activity) in resolve::activities(plan) {
                if section.scope == crate::model::Scope::Countywide || activity.shared.is_some() {
                    mark(activity.span.file);
                }
            }
        }
        // Nothing was compiled: whatever a report shows, keep it all.
        None => keep.iter_mut().for_each(|k| *k = true),
    }
    files
        .into_iter()
        .zip(keep)
        .map(|(file, keep)| Arc::new(if keep { file } else { file.released() }))
        .collect()
}

/// What a run of the command line adds to planc.toml.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The planc.toml to use instead of the one found above the plans.
    pub config: Option<PathBuf>,
    /// Levels from the command line.
    pub levels: Vec<(crate::model::Id, crate::model::Level)>,
    /// A plan read from standard input: the name its messages use, and
    /// its text.
    pub stdin: Option<(PathBuf, String)>,
}

/// The checks across plans, the levels, allow comments and help texts in
/// each file's syntax: the last steps of every compilation.
pub(crate) fn finish(
    config: Config,
    framework: Framework,
    mut sources: SourceMap,
    mut diags: Diagnostics,
    plans: Vec<Arc<CompiledPlan>>,
    unreadable: Vec<PathBuf>,
    allows: &[check::allow::FileAllows],
) -> Compilation {
    check::shared::check(&plans, &config.shared, &mut diags);
    for compiled in &plans {
        check::apply_levels(&compiled.plan, &config.checks, &mut diags);
    }
    check::allow::apply(allows, &sources, &mut diags);
    help_syntax::speak_the_files_syntax(&mut diags, &sources);
    sources.release_unreferenced(&diags);
    Compilation {
        root: config.root.clone(),
        sources,
        framework,
        plans,
        diagnostics: diags,
        unreadable,
    }
}

impl Compilation {
    /// The plans that could not be compiled, as paths shown to users.
    pub fn unreadable_paths(&self) -> Vec<String> {
        self.unreadable.iter().map(|p| display_path(p)).collect()
    }
}

/// Decodes, resolves, computes and checks one plan.
pub(crate) fn compile_plan(
    plan_files: PlanFiles,
    config: &Config,
    framework: &Framework,
    as_of: Date,
    diags: &mut Diagnostics,
) -> Option<CompiledPlan> {
    let fragments = plan_files
        .files
        .iter()
        .map(|(file, node)| (*file, Decoder::new(diags).file(node, *file)))
        .collect();
    let mut plan = decode::assemble(&plan_files.path, fragments, diags)?;
    if plan.currency.is_none() {
        plan.currency = Some(config.currency.clone());
    }
    if plan_files.incomplete {
        return None;
    }
    let index = Index::build(&plan, diags);
    resolve::check_references(&plan, &index, diags);
    let figures = figures::compute(&plan, &index, framework);
    let cx = Context {
        plan: &plan,
        index: &index,
        figures: &figures,
        framework,
        as_of,
    };
    check::run(&cx, diags);
    Some(CompiledPlan { plan, figures })
}

/// Compiles one plan file held in memory: the whole pipeline without the
/// file system, for fuzzing.
pub fn compile_text(name: &str, text: &str, as_of: Date) -> Compilation {
    let path = PathBuf::from(name);
    compile_texts(vec![(path.clone(), vec![(path, text.to_string())])], as_of)
}

/// Compiles plans whose files are held in memory (read from a git revision,
/// say): each plan is its path and its files' paths and texts.
pub fn compile_texts(files: Vec<(PathBuf, Vec<(PathBuf, String)>)>, as_of: Date) -> Compilation {
    let mut sources = SourceMap::default();
    let mut diags = Diagnostics::default();
    let config = Config::new(PathBuf::from("."));
    let framework = Framework::built_in();
    let mut plans = Vec::new();
    let mut unreadable = Vec::new();
    for (path, texts) in files {
        let mut plan = PlanFiles {
            path,
            files: Vec::new(),
            incomplete: false,
        };
        for (file, text) in texts {
            match load::parse_text(&file, text, &mut sources, &mut diags) {
                Some(parsed) => plan.files.push(parsed),
                None => plan.incomplete = true,
            }
        }
        let path = plan.path.clone();
        match compile_plan(plan, &config, &framework, as_of, &mut diags) {
            Some(compiled) => plans.push(Arc::new(compiled)),
            None => unreadable.push(path),
        }
    }
    help_syntax::speak_the_files_syntax(&mut diags, &sources);
    Compilation {
        root: config.root.clone(),
        sources,
        framework,
        plans,
        diagnostics: diags,
        unreadable,
    }
}

/// A path as shown to users: relative to the current directory when it is
/// below it.
pub fn display_path(path: &Path) -> String {
    // planc never changes directory: the directory is asked once, not for
    // each of a build's hundreds of thousands of figure traces.
    static CWD: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    let shown = CWD
        .get_or_init(|| std::env::current_dir().ok())
        .as_deref()
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path);
    let text = shown.display().to_string();
    text.strip_prefix("./").map_or(text.clone(), str::to_string)
}

#[cfg(test)]
mod session_tests {
    use super::*;

    fn plan(id: &str, cost: &str) -> String {
        format!(
            "plan: {{ id: {id}, name: {id}, period: {{ start: 2008-04-01, end: 2009-03-31 }} }}
sources: [{{ id: grant, name: Grant, amount: 100 }}]
sections:
  - id: main
    title: Main
    source: grant
    priorities:
      - id: p
        title: P
        activities:
          - {{ id: a, title: A, cost: {cost} }}
"
        )
    }

    fn errors(c: &Compilation) -> usize {
        c.diagnostics.count(crate::diagnostic::Severity::Error)
    }

    #[test]
    fn only_the_plans_whose_files_changed_are_recompiled() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("planc.toml"), "plans = [\"plans\"]\n").unwrap();
        for name in ["a", "b", "c"] {
            std::fs::create_dir_all(root.join("plans").join(name)).unwrap();
            std::fs::write(
                root.join(format!("plans/{name}/plan.yaml")),
                plan(name, "100"),
            )
            .unwrap();
        }
        let as_of = Date::constant(2008, 6, 30);
        let mut session = Session::new(vec![root.join("plans")], as_of);
        let first = session.compile().unwrap();
        assert_eq!(
            (session.recompiled, first.plans.len(), errors(&first)),
            (3, 3, 0)
        );

        let again = session.compile().unwrap();
        assert_eq!(session.recompiled, 0);
        assert!(Arc::ptr_eq(&first.plans[1], &again.plans[1]));

        // One plan overspends: it alone is recompiled, and its error shows.
        std::fs::write(root.join("plans/b/plan.yaml"), plan("b", "900")).unwrap();
        let edited = session.compile().unwrap();
        assert_eq!(session.recompiled, 1);
        assert_eq!(errors(&edited), 1);
        assert!(Arc::ptr_eq(&again.plans[2], &edited.plans[2]));
        let (path, ..) = edited.sources.locate(
            edited
                .diagnostics
                .clone()
                .into_sorted()
                .iter()
                .find(|d| d.severity == crate::diagnostic::Severity::Error)
                .unwrap()
                .primary
                .span,
        );
        assert!(path.ends_with("plans/b/plan.yaml"), "{}", path.display());

        // A new file in the first plan shifts the file ids of the rest.
        std::fs::write(
            root.join("plans/a/more.yaml"),
            "partners: [{ id: x, name: X }]\n",
        )
        .unwrap();
        session.compile().unwrap();
        assert_eq!(session.recompiled, 3);

        // A plan removed is forgotten; planc.toml changed recompiles all.
        std::fs::remove_dir_all(root.join("plans/c")).unwrap();
        assert_eq!(session.compile().unwrap().plans.len(), 2);
        std::fs::write(
            root.join("planc.toml"),
            "plans = [\"plans\"]\n[checks]\nF001 = \"error\"\n",
        )
        .unwrap();
        session.compile().unwrap();
        assert_eq!(session.recompiled, 2);
    }
}
