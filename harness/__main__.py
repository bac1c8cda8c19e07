from harness.cli import run

# vLLM spawns its engine process; the guard keeps the child from re-running the CLI.
if __name__ == "__main__":
    run()
