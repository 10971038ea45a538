//! The pipeline, stage by stage: load → decode → resolve → figures → check.
//! Every file is loaded and decoded and every problem collected; a plan
//! with a file that does not parse goes no further than decoding.

use std::path::{Path, PathBuf};

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
use crate::load::{self, FoundPlan, LoadError, PlanFiles};
use crate::model::Plan;
use crate::resolve::{self, Index};
use crate::source::{SourceFile, SourceMap, Span};

pub struct CompiledPlan {
    pub plan: Plan,
    pub figures: PlanFigures,
}

pub struct Compilation {
    /// The repository root: where `planc.toml` is, else the current directory.
    pub root: PathBuf,
    pub sources: SourceMap,
    pub framework: Framework,
    pub plans: Vec<CompiledPlan>,
    pub diagnostics: Diagnostics,
    /// Plans that could not be compiled (a file that does not parse, no
    /// header): their figures are missing from every roll-up, which is
    /// then unknown.
    pub unreadable: Vec<PathBuf>,
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
    let mut framework = Framework::built_in();
    let Some(path) = &config.framework else {
        return framework;
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
            return framework;
        }
    };
    let parsed: Result<Framework, _> = toml::from_str(&text);
    let file = sources.add(path.clone(), text);
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
    let mut sources = SourceMap::default();
    let mut diags = Diagnostics::default();
    let start = paths
        .first()
        .map_or_else(|| PathBuf::from("."), Clone::clone);
    let config = match load::find_config(&start) {
        Some(path) => load::read_config(&path, &mut sources, &mut diags),
        None => Config::new(PathBuf::from(".")),
    };
    let guard = Guard::new(&config.root, paths);
    let framework = load_framework(&config, &guard, &mut sources, &mut diags);
    let found = load::find(
        &plan_paths(paths, &config),
        &guard,
        &mut sources,
        &mut diags,
    )?;
    // Each plan is read, parsed, compiled and its value tree dropped on its
    // own, in parallel; file ids are fixed in advance so that the files
    // join the source map in plan order.
    let mut next = sources.next_id().0;
    let numbered: Vec<(FoundPlan, u32)> = found
        .into_iter()
        .map(|plan| {
            let first = next;
            next = next.saturating_add(u32::try_from(plan.files.len()).unwrap_or(u32::MAX));
            (plan, first)
        })
        .collect();
    let results: Vec<(Vec<SourceFile>, Result<CompiledPlan, PathBuf>, Diagnostics)> = numbered
        .into_par_iter()
        .map(|(plan, first)| {
            let path = plan.path.clone();
            let mut plan_diags = Diagnostics::default();
            let (files, plan_files) =
                load::read_plan(plan, first, config.max_file_bytes, &guard, &mut plan_diags);
            let compiled =
                compile_plan(plan_files, &config, &framework, as_of, &mut plan_diags).ok_or(path);
            (files, compiled, plan_diags)
        })
        .collect();
    let mut plans = Vec::new();
    let mut unreadable = Vec::new();
    for (files, compiled, plan_diags) in results {
        for file in files {
            sources.push(file);
        }
        diags.extend(plan_diags);
        match compiled {
            Ok(plan) => plans.push(plan),
            Err(path) => unreadable.push(path),
        }
    }
    check::shared::check(&plans, &config.shared, &mut diags);
    for compiled in &plans {
        check::apply_levels(&compiled.plan, &config.checks, &mut diags);
    }
    help_syntax::speak_the_files_syntax(&mut diags, &sources);
    Ok(Compilation {
        root: config.root.clone(),
        sources,
        framework,
        plans,
        diagnostics: diags,
        unreadable,
    })
}

impl Compilation {
    /// The plans that could not be compiled, as paths shown to users.
    pub fn unreadable_paths(&self) -> Vec<String> {
        self.unreadable.iter().map(|p| display_path(p)).collect()
    }
}

/// Decodes, resolves, computes and checks one plan.
fn compile_plan(
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
            Some(compiled) => plans.push(compiled),
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
    let cwd = std::env::current_dir().ok();
    let shown = cwd
        .as_deref()
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path);
    let text = shown.display().to_string();
    text.strip_prefix("./").map_or(text.clone(), str::to_string)
}
