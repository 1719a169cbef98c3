"""Implementation tracking of plan projects, the yearly results report (ข้อ 29) and carry-over."""
