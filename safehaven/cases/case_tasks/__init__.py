"""Tasks with due dates on a case."""
