# Cierto web app. Build context: the repository root.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY Cierto.Domain/Cierto.Domain.csproj Cierto.Domain/
COPY Cierto.Web/Cierto.Web.csproj Cierto.Web/
RUN dotnet restore Cierto.Web/Cierto.Web.csproj
COPY Cierto.Domain/ Cierto.Domain/
COPY Cierto.Web/ Cierto.Web/
RUN dotnet publish Cierto.Web/Cierto.Web.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Cierto__DataDirectory=/data
RUN mkdir -p /data && chown app:app /data
USER app
EXPOSE 8080
ENTRYPOINT ["dotnet", "Cierto.Web.dll"]
