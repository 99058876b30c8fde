// The profile name a defence_profile_tests_<profile> binary expects (one tiny file per binary,
// so that the shared test objects are compiled once).
const char* defence_profile_expected_name() { return DEFENCE_PROFILE_EXPECTED; }
