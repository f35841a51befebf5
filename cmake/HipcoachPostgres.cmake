# Tests against a real PostgreSQL: one throwaway cluster per ctest run (scripts/pg-cluster.sh),
# started by the fixture test "postgres_cluster_start" and stopped by "postgres_cluster_stop".
# A test that needs it finds the cluster's URL in the file named by the environment variable
# HIPCOACH_TEST_PG_URL_FILE, and must fail (not skip) when that file is missing.
#
#   hipcoach_postgres_fixture()            once, before the test directories (tests/CMakeLists.txt)
#   hipcoach_requires_postgres(TEST...)    for tests made with add_test()
#   gtest_discover_tests(target PROPERTIES ${HIPCOACH_POSTGRES_TEST_PROPERTIES} LABELS ...)
#                                          for discovered GoogleTest tests
#
# The fixture tests carry the labels of HIPCOACH_POSTGRES_FIXTURE_LABELS so that a label filter
# (ctest -L store) keeps them; ctest also adds them by itself to any selection that needs them.

set(HIPCOACH_TEST_PG_URL_FILE ${CMAKE_BINARY_DIR}/pg-test.url)
set(HIPCOACH_POSTGRES_TEST_PROPERTIES
  FIXTURES_REQUIRED postgres
  ENVIRONMENT HIPCOACH_TEST_PG_URL_FILE=${HIPCOACH_TEST_PG_URL_FILE})
set(HIPCOACH_POSTGRES_FIXTURE_LABELS "store;tracking;cli;web;postgres")

function(hipcoach_postgres_fixture)
  set(script ${PROJECT_SOURCE_DIR}/scripts/pg-cluster.sh)
  add_test(NAME postgres_cluster_start
    COMMAND bash ${script} ctest-setup ${HIPCOACH_TEST_PG_URL_FILE})
  add_test(NAME postgres_cluster_stop
    COMMAND bash ${script} ctest-cleanup ${HIPCOACH_TEST_PG_URL_FILE})
  set_tests_properties(postgres_cluster_start PROPERTIES
    FIXTURES_SETUP postgres LABELS "${HIPCOACH_POSTGRES_FIXTURE_LABELS}" TIMEOUT 120)
  set_tests_properties(postgres_cluster_stop PROPERTIES
    FIXTURES_CLEANUP postgres LABELS "${HIPCOACH_POSTGRES_FIXTURE_LABELS}" TIMEOUT 120)
endfunction()

function(hipcoach_requires_postgres)
  foreach(test IN LISTS ARGN)
    set_property(TEST ${test} APPEND PROPERTY FIXTURES_REQUIRED postgres)
    set_property(TEST ${test} APPEND PROPERTY ENVIRONMENT
      HIPCOACH_TEST_PG_URL_FILE=${HIPCOACH_TEST_PG_URL_FILE})
  endforeach()
endfunction()
