"""Publication charts: one house style (:mod:`.style`), each chart declared once
(:mod:`.catalog`), rendered in French and English (:mod:`.render`), built incrementally
(:mod:`.build`) and shown in a readers' gallery (:mod:`.gallery`)."""
