import 'package:flutter/material.dart';

/// <%= title | dart_comment %>: the app shell. The game itself (lib/game/) arrives with the core prototype.
class <%= app_class %> extends StatelessWidget {
  const <%= app_class %>({super.key});

  @override
  Widget build(BuildContext context) {
    return MaterialApp(
      title: <%= title | dart_string %>,
      debugShowCheckedModeBanner: false,
      theme: ThemeData(colorSchemeSeed: const Color(0xFF<%= primary %>), useMaterial3: true),
      home: const Scaffold(body: Center(child: Text(<%= title | dart_string %>))),
    );
  }
}
