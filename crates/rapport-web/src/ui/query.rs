//! A list page's address: the list API's own query parameters (`filter[f][op]`, `sort`,
//! `q`, `cursor`), so a page can be shared and its figures match the API, plus the UI's
//! column choice. The filter form sends rows (`ff`, `fo`, `fv`) that become API filters.

/// One filter as the form shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterRow {
    pub field: String,
    pub op: String,
    pub value: String,
}

/// What a list page was asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListAddress {
    pub filters: Vec<FilterRow>,
    pub sort: Option<String>,
    pub q: Option<String>,
    pub cursor: Option<String>,
    pub cols: Vec<String>,
    /// Sent as form rows rather than API filters: the page redirects to the canonical form.
    pub from_form: bool,
}

fn parse_filter_key(key: &str) -> Option<(String, String)> {
    let inner = key.strip_prefix("filter[")?.strip_suffix(']')?;
    let (field, op) = inner.split_once("][")?;
    Some((field.to_owned(), op.to_owned()))
}

impl ListAddress {
    pub fn parse(pairs: &[(String, String)]) -> Self {
        let mut a = ListAddress::default();
        let (mut ff, mut fo, mut fv) = (Vec::new(), Vec::new(), Vec::new());
        for (k, v) in pairs {
            match k.as_str() {
                "sort" => a.sort = Some(v.clone()).filter(|s| !s.is_empty()),
                "q" => a.q = Some(v.trim().to_owned()).filter(|s| !s.is_empty()),
                "cursor" => a.cursor = Some(v.clone()).filter(|s| !s.is_empty()),
                "cols" => a.cols.extend(
                    v.split(',')
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(str::to_owned),
                ),
                "col" => a.cols.push(v.clone()),
                "ff" => ff.push(v.clone()),
                "fo" => fo.push(v.clone()),
                "fv" => fv.push(v.clone()),
                _ => {
                    if let Some((field, op)) = parse_filter_key(k) {
                        a.filters.push(FilterRow {
                            field,
                            op,
                            value: v.clone(),
                        });
                    }
                }
            }
        }
        if !ff.is_empty() {
            a.from_form = true;
            for (i, field) in ff.into_iter().enumerate() {
                let op = fo.get(i).cloned().unwrap_or_else(|| "eq".to_owned());
                let value = fv.get(i).cloned().unwrap_or_default();
                let blank = value.trim().is_empty() && op != "is_null";
                if field.is_empty() || blank {
                    continue;
                }
                a.filters.push(FilterRow {
                    field,
                    op,
                    value: value.trim().to_owned(),
                });
            }
        }
        a.cols.dedup();
        a
    }

    /// The parameters of the list use case (the API's query language).
    pub fn api_params(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .filters
            .iter()
            .map(|f| (format!("filter[{}][{}]", f.field, f.op), f.value.clone()))
            .collect();
        if let Some(s) = &self.sort {
            out.push(("sort".into(), s.clone()));
        }
        if let Some(q) = &self.q {
            out.push(("q".into(), q.clone()));
        }
        out
    }

    /// This address as a query string, with a different cursor and sort when given.
    pub fn href(&self, path: &str, cursor: Option<&str>, sort: Option<&str>) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.api_params() {
            if k == "sort" && sort.is_some() {
                continue;
            }
            s.append_pair(&k, &v);
        }
        if let Some(sort) = sort {
            s.append_pair("sort", sort);
        }
        if !self.cols.is_empty() {
            s.append_pair("cols", &self.cols.join(","));
        }
        if let Some(c) = cursor {
            s.append_pair("cursor", c);
        }
        let qs = s.finish();
        if qs.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{qs}")
        }
    }

    /// The same address without the filter at `index`.
    pub fn without_filter(&self, index: usize) -> Self {
        let mut a = self.clone();
        if index < a.filters.len() {
            a.filters.remove(index);
        }
        a.cursor = None;
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn api_filters_pass_through_unchanged() {
        let a = ListAddress::parse(&pairs(&[
            ("filter[last_name][starts_with]", "Kow"),
            ("sort", "-updated_at"),
            ("q", "  acme "),
        ]));
        assert_eq!(
            a.api_params(),
            pairs(&[
                ("filter[last_name][starts_with]", "Kow"),
                ("sort", "-updated_at"),
                ("q", "acme"),
            ])
        );
        assert!(!a.from_form);
    }

    #[test]
    fn form_rows_become_filters_and_blank_rows_are_dropped() {
        let a = ListAddress::parse(&pairs(&[
            ("ff", "status"),
            ("fo", "eq"),
            ("fv", "open"),
            ("ff", ""),
            ("fo", "eq"),
            ("fv", ""),
            ("ff", "email"),
            ("fo", "is_null"),
            ("fv", ""),
            ("ff", "title"),
            ("fo", "contains"),
            ("fv", "  "),
        ]));
        assert!(a.from_form);
        assert_eq!(
            a.api_params(),
            pairs(&[
                ("filter[status][eq]", "open"),
                ("filter[email][is_null]", "")
            ])
        );
    }

    #[test]
    fn links_keep_the_view_and_change_only_what_they_name() {
        let a = ListAddress::parse(&pairs(&[
            ("filter[city][eq]", "Kraków & Co"),
            ("sort", "name"),
            ("cols", "name,domain"),
        ]));
        assert_eq!(
            a.href("/companies", Some("abc"), None),
            "/companies?filter%5Bcity%5D%5Beq%5D=Krak%C3%B3w+%26+Co&sort=name&cols=name%2Cdomain&cursor=abc"
        );
        assert_eq!(
            a.href("/companies", None, Some("-name")),
            "/companies?filter%5Bcity%5D%5Beq%5D=Krak%C3%B3w+%26+Co&sort=-name&cols=name%2Cdomain"
        );
        assert_eq!(
            a.without_filter(0).href("/companies", None, None),
            "/companies?sort=name&cols=name%2Cdomain"
        );
    }
}
