"""Shared plumbing for every package: settings from the environment, one-line user errors,
the fault-injection hook the reliability tests use."""
