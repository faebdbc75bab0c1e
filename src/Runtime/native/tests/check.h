/* A minimal test harness: CHECK records a failure and goes on; main returns
 * the number of failures, which CTest reports. */
#ifndef TESTS_CHECK_H
#define TESTS_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond)                                                                  \
  do                                                                                 \
    {                                                                                \
      if (!(cond))                                                                   \
        {                                                                            \
          fprintf (stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);  \
          failures++;                                                                \
        }                                                                            \
    }                                                                                \
  while (0)

#define CHECK_STR(a, b) CHECK ((a) != NULL && strcmp ((a), (b)) == 0)
#define CHECK_CONTAINS(haystack, needle) CHECK ((haystack) != NULL && strstr ((haystack), (needle)) != NULL)

#endif
