Console.WriteLine(new Projects.KeyService().ProjectPath);
