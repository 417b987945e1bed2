//! The `outcomes-lint` binary: everything lives in the library so it can be tested in-process.

fn main() -> std::process::ExitCode {
    outcomes_lint::main()
}
