"""Table models: one QAbstractTableModel per list, each behind a sort/filter proxy."""
