// gtzan: the command-line entry point (subcommands are added in host/cli/).
#include <cstdio>
int main() { std::puts("gtzan: under construction"); return 0; }
