#include <cstdio>
int main() { std::puts("pc386 " PC386_VERSION); return 0; }
