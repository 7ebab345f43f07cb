"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix)."""

ROWS = {}
