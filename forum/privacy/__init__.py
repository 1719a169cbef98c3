"""Personal data as the Thai PDPA (พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562) requires: the privacy
notice of each organization, consent at collection, data-subject requests (find, export,
correct, erase) and retention."""
