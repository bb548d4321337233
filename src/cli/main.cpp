// main.cpp: the zonewarden command line (stub).
#include <cstdio>

int main() {
  std::puts("zonewarden");
  return 0;
}
