-- PostgreSQL's 0011 adds an index for amount_minor DESC NULLS LAST. SQLite needs none:
-- it sorts NULLs first in an index, so walking opportunities_amount_idx (0006) backwards
-- already gives DESC NULLS LAST. The version exists here too so both dialects list the
-- same migrations.
SELECT 1;
