//! The action table against the code that performs it, and parameters typed.
use super::*;

#[test]
fn each_action_is_invoked_with_its_parameters_typed() {
    let put = find("alarm.put").unwrap();
    let mut params = Params::new();
    assert_eq!(
        invoke(put, &params),
        None,
        "statistic and period are required"
    );
    params.insert("statistic".into(), ParamValue::Text("Sum".into()));
    params.insert("period".into(), ParamValue::Integer(60));
    assert_eq!(
        invoke(put, &params),
        Some(Invocation::AlarmPut(AlarmChoice {
            statistic: "Sum",
            period: 60,
            unit: None,
            treat_missing_data: None,
        }))
    );
    params.insert("statistic".into(), ParamValue::Text("Median".into()));
    assert_eq!(invoke(put, &params), None);
    for spec in CATALOGUE.iter().filter(|s| s.params.is_empty()) {
        assert!(invoke(spec, &Params::new()).is_some(), "{}", spec.id);
    }
}

/// Parameters left out take the defaults their descriptions promise.
#[test]
fn left_out_parameters_take_their_defaults() {
    let none = Params::new();
    assert_eq!(
        invoke(find("trail.create").unwrap(), &none),
        Some(Invocation::TrailCreate {
            multi_region: false
        })
    );
    let Some(Invocation::TrailEventSelectors(selectors)) =
        invoke(find("trail.event_selectors").unwrap(), &none)
    else {
        panic!("trail.event_selectors")
    };
    assert_eq!(selectors.read_write, "All");
    assert_eq!(
        selectors.excluded_sources(),
        ["kms.amazonaws.com", "rdsdata.amazonaws.com"]
    );
    assert_eq!(
        invoke(find("logs.metric_filter").unwrap(), &none),
        Some(Invocation::LogsMetricFilter(FilterChoice {
            default_value: Some(0),
            unit: None
        }))
    );
    let no_default = Params::from([("default_value".into(), ParamValue::Text("none".into()))]);
    assert_eq!(
        invoke(find("logs.metric_filter").unwrap(), &no_default),
        Some(Invocation::LogsMetricFilter(FilterChoice {
            default_value: None,
            unit: None
        }))
    );
}

/// Every value a parameter of `kind` takes, or its bounds.
fn values(kind: ParamKind) -> Vec<ParamValue> {
    match kind {
        ParamKind::Bool => vec![ParamValue::Bool(true), ParamValue::Bool(false)],
        ParamKind::Integer { min, max } => {
            vec![ParamValue::Integer(min), ParamValue::Integer(max)]
        }
        ParamKind::OneOf(words) => words
            .iter()
            .map(|w| ParamValue::Text(w.to_string()))
            .collect(),
        ParamKind::IntegerOr { min, max, word } => vec![
            ParamValue::Integer(min),
            ParamValue::Integer(max),
            ParamValue::Text(word.to_string()),
        ],
    }
}

/// No declared parameter is ignored: for every action, some value of each of its
/// parameters changes what is performed, and every value is accepted.
#[test]
fn every_declared_parameter_changes_the_invocation() {
    for spec in CATALOGUE {
        let base: Params = spec
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| (p.name.to_string(), values(p.kind).remove(0)))
            .collect();
        let before = invoke(spec, &base).unwrap_or_else(|| panic!("{}", spec.id));
        for param in spec.params {
            let mut changed = false;
            for value in values(param.kind) {
                let mut given = base.clone();
                given.insert(param.name.into(), value);
                assert_eq!(checkers::params::validate(spec.params, &given), vec![]);
                let after = invoke(spec, &given)
                    .unwrap_or_else(|| panic!("{} refuses a valid `{}`", spec.id, param.name));
                changed |= after != before;
            }
            assert!(changed, "{}: `{}` changes nothing", spec.id, param.name);
        }
    }
}
