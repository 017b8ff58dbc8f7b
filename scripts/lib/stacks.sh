#!/usr/bin/env bash
# Sourced by the scripts that take a stack name. The stacks of this repository are its stack files
# (Pulumi.<stack>.yaml at its root); the e2e tests' own stacks (Pulumi.e2e-*.yaml) come and go and are not among them.

# Prints the committed stacks' names, space-separated. Run from the repository root.
committed_stacks() {
  local file stack
  for file in Pulumi.*.yaml; do
    stack=${file#Pulumi.}
    stack=${stack%.yaml}
    [[ $stack == e2e-* ]] || printf '%s ' "$stack"
  done
}
