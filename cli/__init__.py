"""The `cxw` command line: thin subcommands that call into the packages, and the main job
runner that executes the Dagster asset graph headlessly and prints its summary."""
