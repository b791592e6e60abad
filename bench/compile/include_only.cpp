// bench/compile/include_only.cpp — what every file that uses athanor pays before its first
// statement: the umbrella header and nothing else (bench/compile_time.sh; issue 17's target
// is 2.5 s at g++ -O2).
#include <athanor/athanor.hpp>
