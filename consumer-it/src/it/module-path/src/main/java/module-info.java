/** A user's application on the module path. */
module com.example.modular {
  requires io.zproc;
  requires java.management; // App.classDataArchive: the JVM's own flags

  // Jackson binds this package's records (values stored in the state)
  opens com.example.modular to
      com.fasterxml.jackson.databind;
}
