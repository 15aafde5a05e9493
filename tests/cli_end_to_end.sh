#!/usr/bin/env bash
echo "cli_end_to_end: pending"
